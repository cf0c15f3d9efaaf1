import YAML

/// `source.toolkit.fluxcd.io/v1 GitRepository`: where Flux (or the local GitOps controller) pulls manifests from.
public struct GitRepository: KubernetesObject, Hashable, Validatable {
    public static let apiVersion = "source.toolkit.fluxcd.io/v1"
    public static let acceptedAPIVersions = ["source.toolkit.fluxcd.io/v1", "source.toolkit.fluxcd.io/v1beta2"]
    public static let kind = "GitRepository"
    public var apiVersion: String = Self.apiVersion
    public var kind: String = Self.kind
    public var metadata: ObjectMeta
    public var spec: GitRepositorySpec
    public var status: Node?

    public init(metadata: ObjectMeta, spec: GitRepositorySpec) {
        self.metadata = metadata
        self.spec = spec
    }

    public func validate(_ context: ValidationContext) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        let schemes = ["http://", "https://", "ssh://", "file://", "/"]
        if !schemes.contains(where: spec.url.hasPrefix) {
            problems.append(
                context.error(
                    ["spec", "url"],
                    "url must start with http://, https:// or ssh:// (file:// or a path locally)"
                )
            )
        }
        if spec.interval.seconds <= 0 {
            problems.append(context.error(["spec", "interval"], "interval must be positive"))
        }
        return problems
    }
}

/// `GitRepositorySpec`.
public struct GitRepositorySpec: Codable, Sendable, Hashable {
    public var url: String
    public var interval: ManifestDuration
    public var ref: GitReference?
    public var secretRef: LocalObjectReference?
    public var timeout: ManifestDuration?
    public var ignore: String?
    public var suspend: Bool?
    public var recurseSubmodules: Bool?
    public var provider: String?
    public var proxySecretRef: LocalObjectReference?
    public var verify: Node?
    public var include: Node?
    public var sparseCheckout: [String]?

    public init(url: String, interval: ManifestDuration, ref: GitReference? = nil) {
        self.url = url
        self.interval = interval
        self.ref = ref
    }
}

/// Which revision of the repository to follow.
public struct GitReference: Codable, Sendable, Hashable {
    public var branch: String?
    public var tag: String?
    public var semver: String?
    public var name: String?
    public var commit: String?

    public init(branch: String) { self.branch = branch }
}

/// A reference to an object in the same namespace.
public struct LocalObjectReference: Codable, Sendable, Hashable {
    public var name: String
}
