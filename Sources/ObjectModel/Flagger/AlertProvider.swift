import YAML

/// `flagger.app/v1beta1 AlertProvider`: a chat webhook Flagger posts alerts to (spec/flagger.md §1.6, §6).
public struct AlertProvider: KubernetesObject, Hashable, Validatable {
    public static let apiVersion = "flagger.app/v1beta1"
    public static let kind = "AlertProvider"
    public var apiVersion: String = Self.apiVersion
    public var kind: String = Self.kind
    public var metadata: ObjectMeta
    public var spec: AlertProviderSpec

    public init(metadata: ObjectMeta, spec: AlertProviderSpec) {
        self.metadata = metadata
        self.spec = spec
    }

    public static let types = ["slack", "msteams", "discord", "rocket", "gchat"]

    public func validate(_ context: ValidationContext) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if !Self.types.contains(spec.type) {
            problems.append(
                context.error(
                    ["spec", "type"],
                    "unknown alert provider type '\(spec.type)'; expected one of " + Self.types.joined(separator: ", ")
                )
            )
        }
        // CRD oneOf: [required(type, address), required(type, secretRef)].
        if (spec.address == nil) == (spec.secretRef == nil) {
            problems.append(context.error(["spec"], "set exactly one of address and secretRef"))
        }
        return problems
    }
}

/// `AlertProviderSpec`; Flagger defaults `username` to `flagger` and `channel` to `general` (events.go:161-173).
public struct AlertProviderSpec: Codable, Sendable, Hashable {
    public var type: String
    public var channel: String?
    public var username: String?
    public var address: String?
    public var proxy: String?
    public var secretRef: SecretReference?

    /// A Secret with key `address` (required) and optionally `token`.
    public struct SecretReference: Codable, Sendable, Hashable {
        public var name: String
    }

    public init(type: String, address: String?, channel: String? = nil) {
        self.type = type
        self.address = address
        self.channel = channel
    }

    public var effectiveUsername: String { username.flatMap { $0.isEmpty ? nil : $0 } ?? "flagger" }
    public var effectiveChannel: String { channel.flatMap { $0.isEmpty ? nil : $0 } ?? "general" }
}
