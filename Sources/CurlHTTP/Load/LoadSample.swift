/// One response (or transport failure) seen by a ``LoadGenerator``.
public struct LoadSample: Sendable {
    /// When the request was due, since the load started.
    public var start: Duration
    /// The HTTP status, or 0 for a transport error (refused, reset, timed out).
    public var status: Int
    /// From when the request was due until its response completed.
    public var latency: Duration
    /// The first bytes of the body when ``LoadSpec/sampleBody`` is set.
    public var bodySample: [UInt8]?

    public init(start: Duration, status: Int, latency: Duration, bodySample: [UInt8]? = nil) {
        self.start = start
        self.status = status
        self.latency = latency
        self.bodySample = bodySample
    }
}
