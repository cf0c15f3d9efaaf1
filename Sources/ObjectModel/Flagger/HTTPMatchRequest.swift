import YAML

/// One entry of `analysis.match` (Istio's HTTPMatchRequest). The NGINX router uses only `headers`.
public struct HTTPMatchRequest: Codable, Sendable, Hashable {
    public var name: String?
    public var headers: [String: StringMatch]?
    public var queryParams: [String: StringMatch]?
    public var sourceLabels: [String: String]?
    public var uri: StringMatch?
    public var scheme: StringMatch?
    public var method: StringMatch?
    public var authority: StringMatch?
    public var port: Int?
    public var gateways: [String]?
    public var ignoreUriCase: Bool?
    public var withoutHeaders: [String: StringMatch]?
    public var sourceNamespace: String?

    public init(headers: [String: StringMatch]) {
        self.headers = headers
    }
}
