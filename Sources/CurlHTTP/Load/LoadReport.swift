/// The totals of one ``LoadGenerator`` run.
public struct LoadReport: Sendable {
    /// Completed requests: responses of any status plus transport errors.
    public var requests: Int
    /// From the first request until the last response (or until stopped).
    public var elapsed: Duration
    public var requestsPerSecond: Double
    /// Responses by HTTP status; transport errors are counted in `errors` only.
    public var countsByStatus: [Int: Int]
    /// Transport errors (no HTTP response: refused, reset, timed out).
    public var errors: Int
    /// Latency percentiles over every completed request, from an HDR histogram (3 significant digits).
    public var p50: Duration
    public var p90: Duration
    public var p99: Duration
    public var max: Duration
    /// TCP connections libcurl opened (`CURLINFO_NUM_CONNECTS` summed); at most the concurrency when
    /// keep-alive works.
    public var connectionsOpened: Int

    public init(
        requests: Int,
        elapsed: Duration,
        requestsPerSecond: Double,
        countsByStatus: [Int: Int],
        errors: Int,
        p50: Duration,
        p90: Duration,
        p99: Duration,
        max: Duration,
        connectionsOpened: Int
    ) {
        self.requests = requests
        self.elapsed = elapsed
        self.requestsPerSecond = requestsPerSecond
        self.countsByStatus = countsByStatus
        self.errors = errors
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
        self.max = max
        self.connectionsOpened = connectionsOpened
    }

    /// Responses with status `status`.
    public func count(_ status: Int) -> Int { countsByStatus[status] ?? 0 }
}
