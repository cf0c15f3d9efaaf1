import Foundation
import HarnessServers

/// Publishes the ingress metrics: tails nginx's JSON access log (a file, so no line is ever dropped — a unix
/// datagram socket with a slow reader lost a quarter of the lines in a quick check, DESIGN.md §3.6) and serves
/// `/metrics`. Every scrape (and every ``current()``) first reads the log to its end, so it always counts every
/// request nginx has finished logging; nothing reads in between.
public actor IngressMetricsExporter {
    private let logPath: String
    private var offset: UInt64 = 0
    private var partial: [UInt8] = []
    private var metrics = IngressMetrics()
    private var server: LocalHTTPServer?

    public init(accessLogPath: String) {
        self.logPath = accessLogPath
    }

    /// Serves `/metrics` on 127.0.0.1:`port`.
    public func start(port: Int) async throws {
        server = try await LocalHTTPServer(name: "ingress-exporter", port: port) { [weak self] request in
            guard let self else { return .init(status: 503) }
            guard request.path == "/metrics" else { return .init(status: 404, body: "404 page not found\n") }
            return .init(
                status: 200,
                body: await self.scrape(),
                contentType: "text/plain; version=0.0.4; charset=utf-8"
            )
        }
    }

    public func stop() async {
        await server?.stop()
        server = nil
    }

    /// The exposition after reading every complete line logged so far; a new series is exposed at zero at its
    /// first scrape (`IngressMetrics.scrapeExposition()` says why).
    public func scrape() -> String {
        drain()
        return metrics.scrapeExposition()
    }

    /// The metrics after reading every complete line logged so far.
    public func current() -> IngressMetrics {
        drain()
        return metrics
    }

    /// Reads the new complete lines of the access log.
    public func drain() {
        guard let handle = FileHandle(forReadingAtPath: logPath) else { return }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        if size < offset {
            // The log was truncated or replaced; start over.
            offset = 0
            partial = []
        }
        guard size > offset else { return }
        try? handle.seek(toOffset: offset)
        guard let data = try? handle.read(upToCount: Int(size - offset)), !data.isEmpty else { return }
        offset += UInt64(data.count)
        var bytes = partial
        bytes.append(contentsOf: data)
        var start = 0
        for index in bytes.indices where bytes[index] == UInt8(ascii: "\n") {
            if index > start, let line = AccessLogLine.parse(Substring(decoding: bytes[start..<index], as: UTF8.self)) {
                metrics.record(line)
            }
            start = index + 1
        }
        partial = Array(bytes[start...])
    }
}
