import YAML

/// `flagger.app/v1beta1 Canary`: what Flagger analyses and promotes (spec/flagger.md §1).
///
/// Decoding keeps the manifest as written; Flagger's defaults are computed properties on the spec types
/// (`Canary+Defaults.swift`), and the CRD's constraints are checked by `validate(_:)` (`Canary+Validation.swift`).
public struct Canary: KubernetesObject, Hashable {
    public static let apiVersion = "flagger.app/v1beta1"
    public static let kind = "Canary"
    public var apiVersion: String = Self.apiVersion
    public var kind: String = Self.kind
    public var metadata: ObjectMeta
    public var spec: CanarySpec
    public var status: CanaryStatus?

    public init(metadata: ObjectMeta, spec: CanarySpec, status: CanaryStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}
