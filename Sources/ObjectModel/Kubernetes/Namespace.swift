import YAML

/// `v1 Namespace`.
public struct Namespace: KubernetesObject, Hashable {
    public static let apiVersion = "v1"
    public static let kind = "Namespace"
    public var apiVersion: String = Self.apiVersion
    public var kind: String = Self.kind
    public var metadata: ObjectMeta
    public var spec: Node?
    public var status: Node?

    public init(name: String, labels: [String: String]? = nil) {
        metadata = ObjectMeta(name: name, labels: labels)
    }
}
