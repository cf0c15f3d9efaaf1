/// A reference to the target workload or the ingress (`LocalObjectReference` with apiVersion and kind).
public struct CanaryTargetReference: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String
    public var name: String

    public init(apiVersion: String? = nil, kind: String, name: String) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
    }
}
