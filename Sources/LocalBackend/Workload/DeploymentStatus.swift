/// A Deployment's status as Kubernetes reports it (the fields Flagger reads, spec/flagger.md §2.7).
public struct DeploymentStatus: ObjectStatus, Hashable {
    public var observedGeneration: Int
    public var replicas: Int
    public var updatedReplicas: Int
    public var readyReplicas: Int
    public var availableReplicas: Int
    public var unavailableReplicas: Int
    public var conditions: [DeploymentCondition]

    public init(
        observedGeneration: Int,
        replicas: Int,
        updatedReplicas: Int,
        readyReplicas: Int,
        availableReplicas: Int,
        unavailableReplicas: Int,
        conditions: [DeploymentCondition]
    ) {
        self.observedGeneration = observedGeneration
        self.replicas = replicas
        self.updatedReplicas = updatedReplicas
        self.readyReplicas = readyReplicas
        self.availableReplicas = availableReplicas
        self.unavailableReplicas = unavailableReplicas
        self.conditions = conditions
    }

    /// The condition of `type` (`Available`, `Progressing`).
    public func condition(_ type: String) -> DeploymentCondition? { conditions.first { $0.type == type } }

    /// `Progressing` is False with reason `ProgressDeadlineExceeded`.
    public var progressDeadlineExceeded: Bool {
        condition("Progressing").map { $0.status == "False" && $0.reason == "ProgressDeadlineExceeded" } ?? false
    }
}

/// One condition of a Deployment.
public struct DeploymentCondition: Codable, Sendable, Hashable {
    public var type: String
    public var status: String
    public var reason: String
    public var message: String
    /// When the condition last changed, in wall-clock seconds since 1970 (Kubernetes' `lastUpdateTime`); Flagger
    /// reads it on `Available` (deployment_ready.go:50-56, spec/flagger.md §2.7).
    public var lastUpdateTime: Double?

    public init(type: String, status: String, reason: String, message: String, lastUpdateTime: Double? = nil) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastUpdateTime = lastUpdateTime
    }
}
