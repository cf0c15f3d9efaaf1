/// What `rollout-e2e status` shows: written by the running harness to `state.json` in the work directory.
public struct StackState: Codable, Sendable, Hashable {
    /// One running component.
    public struct Component: Codable, Sendable, Hashable {
        public var name: String
        public var url: String?
        public var pid: Int32?
        public var running: Bool
    }

    /// One Deployment's rollout state.
    public struct DeploymentSummary: Codable, Sendable, Hashable {
        public var namespace: String
        public var name: String
        public var desired: Int
        public var ready: Int
        public var updated: Int
        public var available: Bool
    }

    /// One Canary's state.
    public struct CanarySummary: Codable, Sendable, Hashable {
        public var namespace: String
        public var name: String
        public var phase: String
        public var canaryWeight: Int
        public var failedChecks: Int
    }

    public var harnessPID: Int32
    public var workDirectory: String
    public var ingressURL: String
    public var timeScale: Double
    public var startedAt: Double
    public var components: [Component]
    public var deployments: [DeploymentSummary]
    public var canaries: [CanarySummary]
}
