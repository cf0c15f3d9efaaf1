import YAML

/// A typed Kubernetes object the harness reads and writes (`apiVersion` + `kind` + `metadata` + the rest).
public protocol KubernetesObject: Codable, Sendable {
    /// The apiVersion this type is written with.
    static var apiVersion: String { get }
    /// Every apiVersion a manifest may use for this kind (older served versions included).
    static var acceptedAPIVersions: [String] { get }
    static var kind: String { get }
    var metadata: ObjectMeta { get set }
}

extension KubernetesObject {
    public static var acceptedAPIVersions: [String] { [apiVersion] }

    /// `namespace/name`, or `name` for cluster-scoped objects and manifests without a namespace.
    public var qualifiedName: String {
        metadata.namespace.map { "\($0)/\(metadata.name)" } ?? metadata.name
    }
}

/// Object-specific checks beyond the schema, reported at the offending field's mark.
public protocol Validatable {
    func validate(_ context: ValidationContext) -> [Diagnostic]
}
