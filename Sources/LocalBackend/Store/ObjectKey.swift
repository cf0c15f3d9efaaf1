/// An object's identity in the store: kind, namespace ("" for cluster-scoped kinds) and name.
public struct ObjectKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var kind: String
    public var namespace: String
    public var name: String

    public init(kind: String, namespace: String, name: String) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    /// `Kind/namespace/name` (`Kind/name` when cluster-scoped).
    public var description: String { namespace.isEmpty ? "\(kind)/\(name)" : "\(kind)/\(namespace)/\(name)" }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.kind, lhs.namespace, lhs.name) < (rhs.kind, rhs.namespace, rhs.name)
    }

    /// Kinds without a namespace.
    static let clusterScopedKinds: Set<String> = [
        "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume",
        "StorageClass", "IngressClass",
    ]
}
