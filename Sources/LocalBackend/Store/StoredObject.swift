import ObjectModel
import YAML

/// A status a controller writes for an object (Deployment status, Kustomization conditions, …).
public protocol ObjectStatus: Sendable, Encodable {}

/// One object in the store: the manifest as applied, its generation, and the status controllers wrote.
public struct StoredObject: Sendable {
    public var key: ObjectKey
    public var apiVersion: String
    /// The typed object, for kinds the object model knows.
    public var object: (any KubernetesObject)?
    /// The document as applied (nil for objects the controllers made).
    public var node: Node?
    /// Bumped whenever the spec (everything but metadata and status) changes, as Kubernetes does.
    public var generation: Int
    /// Bumped on every write, status included.
    public var resourceVersion: Int
    public var status: (any ObjectStatus)?
    /// Who applied it: `Kustomization/<ns>/<name>` for GitOps inventory, nil when applied directly.
    public var manager: String?
    /// When it was created, on the store's clock.
    public var createdAt: ContinuousClock.Instant
    var specFingerprint: String

    /// The typed object as `T`, if it is one.
    public func typed<T: KubernetesObject>(_ type: T.Type) -> T? { object as? T }

    public var labels: [String: String] { object?.metadata.labels ?? [:] }
    public var annotations: [String: String] { object?.metadata.annotations ?? [:] }
}
