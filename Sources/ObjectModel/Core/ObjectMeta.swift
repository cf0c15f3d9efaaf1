import YAML

/// Kubernetes `metadata`: the fields manifests set, plus the server-set ones that appear when a manifest was
/// exported with `kubectl get -o yaml`, so those still validate.
public struct ObjectMeta: Codable, Sendable, Hashable {
    public var name: String
    public var namespace: String?
    public var labels: [String: String]?
    public var annotations: [String: String]?
    public var generateName: String?
    public var uid: String?
    public var resourceVersion: String?
    public var generation: Int?
    public var creationTimestamp: String?
    public var deletionTimestamp: String?
    public var finalizers: [String]?
    public var ownerReferences: Node?
    public var managedFields: Node?

    public init(
        name: String,
        namespace: String? = nil,
        labels: [String: String]? = nil,
        annotations: [String: String]? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
    }
}
