import YAML

/// `source.toolkit.fluxcd.io/v1 OCIRepository` (Flux artifacts pushed to a registry; the kind backend may use it).
public struct OCIRepository: KubernetesObject, Hashable, Validatable {
    public static let apiVersion = "source.toolkit.fluxcd.io/v1"
    public static let acceptedAPIVersions = ["source.toolkit.fluxcd.io/v1", "source.toolkit.fluxcd.io/v1beta2"]
    public static let kind = "OCIRepository"
    public var apiVersion: String = Self.apiVersion
    public var kind: String = Self.kind
    public var metadata: ObjectMeta
    public var spec: OCIRepositorySpec
    public var status: Node?

    public func validate(_ context: ValidationContext) -> [Diagnostic] {
        spec.url.hasPrefix("oci://") ? [] : [context.error(["spec", "url"], "url must start with oci://")]
    }
}

/// `OCIRepositorySpec`.
public struct OCIRepositorySpec: Codable, Sendable, Hashable {
    public var url: String
    public var interval: ManifestDuration
    public var ref: OCIReference?
    public var insecure: Bool?
    public var provider: String?
    public var secretRef: LocalObjectReference?
    public var timeout: ManifestDuration?
    public var suspend: Bool?
    public var layerSelector: Node?
    public var verify: Node?
    public var ignore: String?
    public var serviceAccountName: String?
    public var certSecretRef: LocalObjectReference?
}

/// Which artifact to pull.
public struct OCIReference: Codable, Sendable, Hashable {
    public var tag: String?
    public var semver: String?
    public var semverFilter: String?
    public var digest: String?
}
