import Foundation

/// ingress-nginx's request metrics, labelled the way ingress-nginx labels them, so Flagger's builtin NGINX queries
/// (spec/flagger.md §3.1) run unchanged: `nginx_ingress_controller_requests` (counter) and
/// `nginx_ingress_controller_response_duration_seconds` / `…_request_duration_seconds` (histograms).
public struct IngressMetrics: Sendable {
    /// ingress-nginx's default buckets.
    public static let buckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private struct Labels: Hashable, Comparable {
        let namespace, ingress, service, canary, path, host, method, status: String
        /// The label set as the exposition writes it, made once per series: a scrape renders and sorts every
        /// series, and rebuilding (and escaping) each label string on every comparison made a scrape of a few dozen
        /// series take longer than the scrape interval on a loaded machine (`make bench`, "metrics path").
        let rendered: String

        init(
            namespace: String,
            ingress: String,
            service: String,
            canary: String,
            path: String,
            host: String,
            method: String,
            status: String
        ) {
            self.namespace = namespace
            self.ingress = ingress
            self.service = service
            self.canary = canary
            self.path = path
            self.host = host
            self.method = method
            self.status = status
            let pairs = [
                ("canary", canary), ("controller_class", "k8s.io/ingress-nginx"),
                ("controller_namespace", "ingress-nginx"), ("controller_pod", "rollout-e2e-ingress"),
                ("host", host), ("ingress", ingress), ("method", method), ("namespace", namespace),
                ("path", path), ("service", service), ("status", status),
            ]
            rendered = pairs.map { "\($0.0)=\"\(IngressMetrics.escape($0.1))\"" }.joined(separator: ",")
        }

        static func < (lhs: Self, rhs: Self) -> Bool { lhs.rendered < rhs.rendered }
    }

    private struct Histogram {
        var counts = [Int](repeating: 0, count: IngressMetrics.buckets.count)
        var sum = 0.0
        var count = 0

        mutating func observe(_ value: Double) {
            for (index, bound) in IngressMetrics.buckets.enumerated() where value <= bound { counts[index] += 1 }
            sum += value
            count += 1
        }
    }

    private var requests: [Labels: Int] = [:]
    private var responseDuration: [Labels: Histogram] = [:]
    private var requestDuration: [Labels: Histogram] = [:]
    /// Every line counted so far.
    public private(set) var linesCounted = 0
    /// The series a scrape has already seen (see `scrapeExposition()`).
    private var exposed: Set<Labels> = []

    public init() {}

    /// Counts one logged request. Requests that matched no Ingress (404s of the default server) are not counted,
    /// as in ingress-nginx.
    public mutating func record(_ line: AccessLogLine) {
        guard !line.ingress.isEmpty else { return }
        let labels = Labels(
            namespace: line.namespace,
            ingress: line.ingress,
            service: line.service,
            canary: line.canary,
            path: line.path,
            host: line.host,
            method: line.method,
            status: line.status
        )
        requests[labels, default: 0] += 1
        responseDuration[labels, default: Histogram()].observe(line.responseSeconds)
        requestDuration[labels, default: Histogram()].observe(line.requestSeconds)
        linesCounted += 1
        if line.canary.isEmpty, let canary = line.route_canary, !canary.isEmpty {
            // The same request, had it gone to the canary: that series exists at zero from now on, so the canary's
            // first request after a weight change is an increase at the very next scrape. Without it the series
            // was born with that request and needed a second scrape (`scrapeExposition()`), ~0.5 s of a 1.2 s
            // window at --time-scale 0.02. Zero series change no sum(rate(…)); with no canary request in the window
            // Flagger's query is 0/0 = NaN, which it reads as "no values found" exactly like an empty result
            // (spec/flagger.md, observer NaN rule).
            let counterpart = Labels(
                namespace: line.namespace,
                ingress: line.ingress,
                service: line.route_canary_service ?? "",
                canary: canary,
                path: line.path,
                host: line.host,
                method: line.method,
                status: line.status
            )
            if requests[counterpart] == nil {
                requests[counterpart] = 0
                responseDuration[counterpart] = Histogram()
                requestDuration[counterpart] = Histogram()
            }
        }
    }

    /// The sum of `nginx_ingress_controller_requests` over series matching `filter` (tests and status).
    public func requestCount(where filter: (_ ingress: String, _ canary: String, _ status: String) -> Bool) -> Int {
        requests.filter { filter($0.key.ingress, $0.key.canary, $0.key.status) }.values.reduce(0, +)
    }

    /// The Prometheus text exposition.
    public func render() -> String { render(bornAtZero: []) }

    /// The exposition for a scrape: a series this exporter has not exposed before is exposed at zero once, and with
    /// its counts from the next scrape on, so the request that created it is an increase `rate()` sees.
    ///
    /// Why: `rate()` cannot count the first value of a series that appears inside its window. ingress-nginx's
    /// series appear with their first request too, which at Flagger's pace is 1 of ~120 canary requests in a 1m
    /// window; with the window scaled down (1m → 3 s at `--time-scale 0.05`) it is 1 of ~6, and a canary that got
    /// one request since its weight changed read as "no values found" — a failed check that the same rollout at
    /// full speed does not have. Prometheus' own answer, zero samples at a series' created timestamp
    /// (`--enable-feature=created-timestamp-zero-ingestion`), needs a protobuf or OpenMetrics exposition and a
    /// newer Prometheus than Debian ships, so the exporter does the equivalent: the series is seen at 0 first.
    public mutating func scrapeExposition() -> String {
        let fresh = Set(requests.keys).subtracting(exposed)
        exposed.formUnion(fresh)
        return render(bornAtZero: fresh)
    }

    private func render(bornAtZero fresh: Set<Labels>) -> String {
        var out = "# HELP nginx_ingress_controller_requests The total number of client requests\n"
        out += "# TYPE nginx_ingress_controller_requests counter\n"
        for (labels, value) in requests.sorted(by: { $0.key < $1.key }) {
            out += "nginx_ingress_controller_requests{\(labels.rendered)} \(fresh.contains(labels) ? 0 : value)\n"
        }
        out += renderHistogram(
            "nginx_ingress_controller_response_duration_seconds",
            help: "The time spent on receiving the response from the upstream server",
            responseDuration,
            bornAtZero: fresh
        )
        out += renderHistogram(
            "nginx_ingress_controller_request_duration_seconds",
            help: "The request processing time in seconds",
            requestDuration,
            bornAtZero: fresh
        )
        return out
    }

    private func renderHistogram(
        _ name: String,
        help: String,
        _ series: [Labels: Histogram],
        bornAtZero fresh: Set<Labels>
    ) -> String {
        var out = "# HELP \(name) \(help)\n# TYPE \(name) histogram\n"
        for (labels, observed) in series.sorted(by: { $0.key < $1.key }) {
            let histogram = fresh.contains(labels) ? Histogram() : observed
            let base = labels.rendered
            for (index, bound) in Self.buckets.enumerated() {
                out += "\(name)_bucket{\(base),le=\"\(Self.format(bound))\"} \(histogram.counts[index])\n"
            }
            out += "\(name)_bucket{\(base),le=\"+Inf\"} \(histogram.count)\n"
            out += "\(name)_sum{\(base)} \(histogram.sum)\n"
            out += "\(name)_count{\(base)} \(histogram.count)\n"
        }
        return out
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(format: "%.1f", value) : String(value)
    }

    static func escape(_ value: String) -> String {
        // Label values rarely need escaping; Foundation's replacingOccurrences was 4% of the harness's CPU in a
        // suite at --time-scale 0.02 (every series' labels, every 250 ms scrape, every stack).
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == 0x0A })
        else { return value }
        return value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
