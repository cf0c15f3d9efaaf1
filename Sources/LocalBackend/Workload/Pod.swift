import ObjectModel

/// A replica of a Deployment as the local backend runs it: one supervised `podinfo` process on its own port.
/// Kept in the store (kind `Pod`) so the ingress, Prometheus discovery and Services see readiness changes.
public struct Pod: KubernetesObject, Hashable {
    public static let apiVersion = "v1"
    public static let kind = "Pod"
    public var metadata: ObjectMeta
    public var spec: PodRuntimeSpec

    public init(metadata: ObjectMeta, spec: PodRuntimeSpec) {
        self.metadata = metadata
        self.spec = spec
    }
}

/// Where a pod's process listens and which Deployment revision it runs.
public struct PodRuntimeSpec: Codable, Sendable, Hashable {
    /// The 127.0.0.1 port of the container's HTTP server.
    public var port: Int
    public var deployment: String
    /// The hash of the pod template it was made from (`pod-template-hash`).
    public var templateHash: String
    /// The image tag, which is the version podinfo reports.
    public var version: String?
    /// False for pods served by an in-process server (the loadtester), which have no process of their own.
    public var hasProcess: Bool

    public init(port: Int, deployment: String, templateHash: String, version: String?, hasProcess: Bool) {
        self.port = port
        self.deployment = deployment
        self.templateHash = templateHash
        self.version = version
        self.hasProcess = hasProcess
    }
}

/// The observed state of a pod.
public struct PodStatus: ObjectStatus, Hashable {
    /// `Pending`, `Running`, `Failed`.
    public var phase: String
    public var ready: Bool
    public var restartCount: Int
    public var pid: Int32?
    public var message: String?

    public init(phase: String, ready: Bool, restartCount: Int, pid: Int32? = nil, message: String? = nil) {
        self.phase = phase
        self.ready = ready
        self.restartCount = restartCount
        self.pid = pid
        self.message = message
    }
}
