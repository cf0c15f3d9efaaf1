/// Why a request got no HTTP response: the transport failed, it timed out, or the request was invalid.
///
/// HTTP error statuses are not errors; they arrive as an ``HTTPResponse``. A cancelled task gets
/// `CancellationError` instead. Equality compares only `code`,
/// so tests can write `#expect(throws: HTTPClientError.timedOut)`-style checks via `error.code == .timedOut`.
public struct HTTPClientError: Error, CustomStringConvertible, Hashable {
    /// The kind of failure; new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Backing: String, Hashable, Sendable {
            case connectFailed, timedOut, resolveFailed, invalidRequest, transferFailed, shutdown
        }
        fileprivate var backing: Backing

        /// Nothing accepted the connection (refused, unreachable).
        public static let connectFailed = Code(backing: .connectFailed)
        /// The whole-request timeout passed before the response was complete.
        public static let timedOut = Code(backing: .timedOut)
        /// The host name did not resolve.
        public static let resolveFailed = Code(backing: .resolveFailed)
        /// The URL, method or an option was rejected before anything was sent.
        public static let invalidRequest = Code(backing: .invalidRequest)
        /// The connection broke or the server sent something that is not HTTP.
        public static let transferFailed = Code(backing: .transferFailed)
        /// The client or generator was shut down while the request was pending.
        public static let shutdown = Code(backing: .shutdown)

        public var description: String { backing.rawValue }
    }

    public var code: Code
    /// What happened, with curl's own text and the URL.
    public var message: String
    /// libcurl's `CURLcode`, or 0 when the failure did not come from libcurl.
    public var curlCode: Int

    public init(_ code: Code, _ message: String, curlCode: Int = 0) {
        self.code = code
        self.message = message
        self.curlCode = curlCode
    }

    public var description: String { "HTTPClientError.\(code): \(message)" }

    public static func == (lhs: HTTPClientError, rhs: HTTPClientError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
