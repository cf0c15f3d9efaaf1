/// An ordinary HTTP request for ``HTTPClient``.
public struct HTTPRequest: Sendable {
    /// The method, e.g. `GET`, `POST`, `PUT`, `DELETE`, `HEAD`.
    public var method: String
    /// An absolute URL, e.g. `http://127.0.0.1:8080/path`.
    public var url: String
    public var headers: [HTTPHeader]
    /// The request body; sent as is (no `Content-Type` is added unless given in `headers`).
    public var body: [UInt8]?
    /// The whole-request timeout (connect, send, wait, receive).
    public var timeout: Duration
    /// A `Host` header override, so an ingress can route by name while the URL names 127.0.0.1.
    public var host: String?

    public init(
        method: String = "GET",
        url: String,
        headers: [HTTPHeader] = [],
        body: [UInt8]? = nil,
        timeout: Duration = .seconds(10),
        host: String? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.host = host
    }
}
