import Foundation
import Prometheus
import Synchronization

/// podinfo's two HTTP metrics on a swift-prometheus registry:
/// `http_request_duration_seconds{method,path,status}` (Prometheus default buckets) and `http_requests_total{status}`,
/// plus a few `process_*` gauges refreshed on every scrape.
public final class PodinfoMetrics: Sendable {
    /// `prometheus.DefBuckets`.
    public static let defaultBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    public let registry: PrometheusCollectorRegistry
    private let histograms = Mutex<[HistogramKey: ValueHistogram]>([:])
    private let counters = Mutex<[Int: Counter]>([:])
    private let startTime: Double
    private let startTimeGauge: Gauge
    private let residentMemory: Gauge
    private let cpuSeconds: Gauge
    private let openFileDescriptors: Gauge

    private struct HistogramKey: Hashable {
        var method: String
        var path: String
        var status: Int
    }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        startTime = Date().timeIntervalSince1970
        startTimeGauge = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "process",
                metricName: "start_time",
                unitName: "seconds",
                helpText: "Start time of the process since unix epoch in seconds."
            )
        )
        residentMemory = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "process",
                metricName: "resident_memory",
                unitName: "bytes",
                helpText: "Resident memory size in bytes."
            )
        )
        cpuSeconds = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "process",
                metricName: "cpu_seconds",
                unitName: "total",
                helpText: "Total user and system CPU time spent in seconds."
            )
        )
        openFileDescriptors = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "process",
                metricName: "open",
                unitName: "fds",
                helpText: "Number of open file descriptors."
            )
        )
        startTimeGauge.set(startTime)
    }

    /// Records one served request; `path` is the route's label (`root`, `status`, `api_info`, …).
    public func observe(method: String, path: String, status: Int, seconds: Double) {
        let key = HistogramKey(method: method, path: path, status: status)
        let histogram = histograms.withLock { cache in
            if let existing = cache[key] { return existing }
            let created = registry.makeValueHistogram(
                descriptor: MetricNameDescriptor(
                    namespace: "http",
                    metricName: "request_duration",
                    unitName: "seconds",
                    helpText: "Seconds spent serving HTTP requests."
                ),
                labels: [("method", method), ("path", path), ("status", String(status))],
                buckets: Self.defaultBuckets
            )
            cache[key] = created
            return created
        }
        histogram.record(seconds)
        let counter = counters.withLock { cache in
            if let existing = cache[status] { return existing }
            let created = registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    namespace: "http",
                    metricName: "requests",
                    unitName: "total",
                    helpText: "The total number of HTTP requests."
                ),
                labels: [("status", String(status))]
            )
            cache[status] = created
            return created
        }
        counter.increment()
    }

    /// The Prometheus text exposition, with the process gauges refreshed first.
    public func exposition() -> [UInt8] {
        refreshProcessGauges()
        return registry.emitToBuffer()
    }

    private func refreshProcessGauges() {
        if let statm = FileSystem.readText("/proc/self/statm") {
            let fields = statm.split(separator: " ")
            if fields.count > 1, let pages = Double(fields[1]) {
                residentMemory.set(pages * Double(sysconf(Int32(_SC_PAGESIZE))))
            }
        }
        var usage = rusage()
        #if canImport(Glibc)
            let selfUsage = RUSAGE_SELF.rawValue
        #else
            let selfUsage = RUSAGE_SELF
        #endif
        if getrusage(selfUsage, &usage) == 0 {
            let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
            cpuSeconds.set(user + system)
        }
        // macOS has no /proc; its /dev/fd lists the calling process' descriptors (resident memory stays unset there).
        if let descriptors = FileSystem.entries(of: "/proc/self/fd") ?? FileSystem.entries(of: "/dev/fd") {
            openFileDescriptors.set(Double(descriptors.count))
        }
    }
}
