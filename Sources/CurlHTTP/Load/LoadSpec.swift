/// What a ``LoadGenerator`` sends, how hard, and for how long.
public struct LoadSpec: Sendable {
    /// How requests are paced.
    public enum Mode: Sendable {
        /// Closed loop: this many requests always in flight, each re-sent as soon as its response arrives.
        case concurrency(Int)
        /// Open loop: requests are due at a fixed rate (requests per second) whatever the responses do;
        /// at most `maxInFlight` at once. A request that had to wait for a free slot counts its latency
        /// from when it was due (no coordinated omission).
        case rate(Double, maxInFlight: Int)
    }

    /// When the load ends. Requests in flight at the end still complete and are counted.
    public enum Limit: Sendable {
        case duration(Duration)
        case requests(Int)
    }

    public var url: String
    public var method: String
    public var headers: [HTTPHeader]
    /// A `Host` header override (ingress routing by name).
    public var host: String?
    public var body: [UInt8]?
    public var mode: Mode
    public var limit: Limit
    /// Per-request timeout; a request that exceeds it is a transport error (status 0).
    public var timeout: Duration
    /// Keep the first ``LoadSpec/sampleLength`` bytes of every response body in its ``LoadSample``
    /// (e.g. to read podinfo's `version`).
    public var sampleBody: Bool

    /// How many body bytes a sample keeps.
    public static let sampleLength = 256

    public init(
        url: String,
        method: String = "GET",
        headers: [HTTPHeader] = [],
        host: String? = nil,
        body: [UInt8]? = nil,
        mode: Mode,
        limit: Limit,
        timeout: Duration = .seconds(10),
        sampleBody: Bool = false
    ) {
        self.url = url
        self.method = method
        self.headers = headers
        self.host = host
        self.body = body
        self.mode = mode
        self.limit = limit
        self.timeout = timeout
        self.sampleBody = sampleBody
    }

    /// Throws when the numbers cannot describe a load.
    func validate() throws(HTTPClientError) {
        func invalid(_ why: String) -> HTTPClientError {
            HTTPClientError(.invalidRequest, "load on \(url): \(why)")
        }
        switch mode {
        case .concurrency(let count) where count < 1:
            throw invalid("concurrency must be at least 1, got \(count)")
        case .rate(let rate, _) where !(rate > 0 && rate.isFinite):
            throw invalid("rate must be a positive number of requests per second, got \(rate)")
        case .rate(_, let maxInFlight) where maxInFlight < 1:
            throw invalid("maxInFlight must be at least 1, got \(maxInFlight)")
        default: break
        }
        switch limit {
        case .duration(let duration) where duration <= .zero:
            throw invalid("duration must be positive, got \(duration)")
        case .requests(let count) where count < 0:
            throw invalid("request count must not be negative, got \(count)")
        default: break
        }
    }
}
