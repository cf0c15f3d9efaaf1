/// The response to an ``HTTPRequest``. Any status, 4xx and 5xx included, is a response, not an error.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// The final response's header fields, in the order received.
    public var headers: [HTTPHeader]
    public var body: [UInt8]
    /// Time from handing the request to the transfer thread until the last byte arrived.
    public var latency: Duration

    public init(status: Int, headers: [HTTPHeader] = [], body: [UInt8] = [], latency: Duration = .zero) {
        self.status = status
        self.headers = headers
        self.body = body
        self.latency = latency
    }

    /// The body decoded as UTF-8 (invalid sequences replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The value of the first header named `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// Every value of the headers named `name` (e.g. several `Set-Cookie`), compared case-insensitively.
    public func headers(named name: String) -> [String] {
        let wanted = name.lowercased()
        return headers.filter { $0.name.lowercased() == wanted }.map(\.value)
    }
}
