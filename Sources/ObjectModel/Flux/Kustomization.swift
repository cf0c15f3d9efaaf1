import YAML

/// `kustomize.toolkit.fluxcd.io/v1 Kustomization`: applies a path of a source to the cluster, pruning what left Git.
/// (Not to be confused with kustomize's own `kustomization.yaml`, which has no metadata and is not an object.)
public struct Kustomization: KubernetesObject, Hashable, Validatable {
    public static let apiVersion = "kustomize.toolkit.fluxcd.io/v1"
    public static let acceptedAPIVersions = ["kustomize.toolkit.fluxcd.io/v1", "kustomize.toolkit.fluxcd.io/v1beta2"]
    public static let kind = "Kustomization"
    public var apiVersion: String = Self.apiVersion
    public var kind: String = Self.kind
    public var metadata: ObjectMeta
    public var spec: KustomizationSpec
    public var status: Node?

    public init(metadata: ObjectMeta, spec: KustomizationSpec) {
        self.metadata = metadata
        self.spec = spec
    }

    public func validate(_ context: ValidationContext) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        let sourceKinds = ["GitRepository", "OCIRepository", "Bucket", "ExternalArtifact"]
        if !sourceKinds.contains(spec.sourceRef.kind) {
            problems.append(
                context.error(
                    ["spec", "sourceRef", "kind"],
                    "sourceRef.kind must be one of \(sourceKinds.joined(separator: ", ")), found \(spec.sourceRef.kind)"
                )
            )
        }
        if let path = spec.path, path.hasPrefix("/") || path.split(separator: "/").contains("..") {
            problems.append(context.error(["spec", "path"], "path must be relative to the source root, like ./apps"))
        }
        if spec.interval.seconds <= 0 {
            problems.append(context.error(["spec", "interval"], "interval must be positive"))
        }
        return problems
    }
}

/// `KustomizationSpec`.
public struct KustomizationSpec: Codable, Sendable, Hashable {
    public var sourceRef: SourceReference
    public var path: String?
    public var interval: ManifestDuration
    public var retryInterval: ManifestDuration?
    public var timeout: ManifestDuration?
    public var prune: Bool
    public var targetNamespace: String?
    public var wait: Bool?
    public var force: Bool?
    public var suspend: Bool?
    public var dependsOn: Node?
    public var healthChecks: Node?
    public var patches: Node?
    public var images: Node?
    public var postBuild: Node?
    public var serviceAccountName: String?
    public var decryption: Node?
    public var commonMetadata: Node?
    public var namePrefix: String?
    public var nameSuffix: String?
    public var components: [String]?
    public var kubeConfig: Node?

    public init(sourceRef: SourceReference, path: String?, interval: ManifestDuration, prune: Bool) {
        self.sourceRef = sourceRef
        self.path = path
        self.interval = interval
        self.prune = prune
    }
}

/// The source a Kustomization reads.
public struct SourceReference: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String
    public var name: String
    public var namespace: String?

    public init(kind: String, name: String, namespace: String? = nil) {
        self.kind = kind
        self.name = name
        self.namespace = namespace
    }
}
