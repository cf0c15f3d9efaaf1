import CurlHTTP
import Foundation
import HarnessServers
import LocalBackend
import ObjectModel

/// `make bench`, section "metrics path": the fixed latencies between the canary engine setting a weight and
/// Flagger's query seeing the canary's traffic, on the local backend's real nginx, ingress exporter and Prometheus.
/// They do not shrink with `--time-scale` while the analysis interval and the metric window (1m) do, so they set the
/// smallest scale at which a scaled run still decides like a full-speed one (README, "Time scales").
///
/// Stages, each timed on its own:
/// 1. routing change → nginx serves it: the canary Ingress' weight changes in the store, then the sync the canary
///    controller runs after a routing change (render, write, `nginx -s reload`, until nginx answers with the new
///    config version);
/// 2. access-log line → exporter count: a response through the ingress until the exporter has counted its line;
/// 3. exporter → Prometheus sample: the count in the exporter until an instant query returns it;
/// 4. first request of a new series → `rate()` over the scaled 1m window answers (a new series is scraped at zero
///    first, so that needs two scrapes).
/// And before 3 and 4 at each scale, Prometheus' start → its first scrape of the exporter (its target discovery, which
/// every stack waits for once).
func runMetricsPathBench() async throws {
    let binaries = try RequiredBinaries.locate()
    let bench = try MetricsPathStack()
    defer { bench.cleanUp() }
    try await bench.start(nginx: binaries.nginx)
    defer { Task { await bench.stop() } }

    var routing: [Duration] = []
    for trial in 0..<20 {
        routing.append(try await bench.changeWeight(to: trial % 2 == 0 ? 20 : 10))
    }
    print("   1. routing change → nginx serves it (store, render, reload, version probe): \(summary(routing))")
    // Everything from here on goes to the canary, so its series carry canary="…" as Flagger's queries select.
    _ = try await bench.changeWeight(to: 100)

    var logged: [Duration] = []
    for _ in 0..<20 { logged.append(try await bench.requestUntilExported(path: "/")) }
    print("   2. access-log line → exporter count (response end until counted): \(summary(logged))")

    // The last run scrapes as often as exact scaling would at 0.02 (100 ms): it shows why the interval has a floor.
    let runs: [(scale: Double, scrape: Duration?)] = [(0.05, nil), (0.02, nil), (0.02, .milliseconds(100))]
    for (scale, scrape) in runs {
        do {
            try await bench.measureScraping(prometheusPath: binaries.prometheus, scale: scale, scrape: scrape) {
                (routing.max() ?? .zero) + (logged.max() ?? .zero) + $0
            }
        } catch {
            print("      failed: \(error)")
        }
        await bench.stopPrometheus()
    }
}

extension MetricsPathStack {
    /// Stages 3 and 4 with a Prometheus at `scale` (or scraping every `scrape`); `fixed` adds stages 1 and 2 to the
    /// worst stage 4 for the budget line.
    fileprivate func measureScraping(
        prometheusPath: String,
        scale: Double,
        scrape: Duration?,
        fixed: (Duration) -> Duration
    ) async throws {
        let bench = self
        let prometheus = try await bench.startPrometheus(
            prometheusPath: prometheusPath,
            timeScale: scale,
            scrapeInterval: scrape
        )
        let window = Int((60_000 * scale).rounded())
        print(
            "   at --time-scale \(String(format: "%g", scale))\(scrape == nil ? "" : " with the scrape scaled exactly")"
                + ": scrape every \(milliseconds(prometheus.scrapeInterval)), "
                + "1m window = \(window) ms, interval 1m = \(window) ms"
        )
        let cpuBefore = bench.prometheusCPU()
        let began = ContinuousClock.now
        // Each trial starts at a random point between two scrapes, as a canary's first request does.
        var sampled: [Duration] = []
        for _ in 0..<20 {
            try await Task.sleep(for: randomOffset(within: prometheus.scrapeInterval))
            sampled.append(try await bench.exportedUntilSampled(prometheus))
        }
        print("   3. exporter count → Prometheus sample (existing series): \(summary(sampled))")
        var rated: [Duration] = []
        var missed = 0
        for _ in 0..<20 {
            try await Task.sleep(for: randomOffset(within: prometheus.scrapeInterval))
            if let latency = try await bench.newSeriesUntilRated(prometheus, windowMilliseconds: window) {
                rated.append(latency)
            } else {
                missed += 1
            }
        }
        print(
            "   4. first request of a new series → rate()[\(window)ms] non-empty: \(summary(rated))"
                + (missed > 0 ? "; \(missed) of 20 never counted (their zero sample was lost)" : "")
        )
        let elapsed = ContinuousClock.now - began
        var renders: [Duration] = []
        for _ in 0..<20 {
            let start = ContinuousClock.now
            let text = await bench.exporter.current().render()
            renders.append(ContinuousClock.now - start)
            precondition(!text.isEmpty)
        }
        print("      exporter exposition render (in the harness process): \(summary(renders))")
        if let before = cpuBefore, let after = bench.prometheusCPU() {
            print("      prometheus CPU while scraping one target: \(percent(after - before, of: elapsed)) of a core")
        }
        let health = await bench.scrapeHealth(prometheus, over: elapsed)
        print(
            "      scrapes of the exporter: \(health.scrapes), failed (timeout = interval) \(health.failed), "
                + "longest \(String(format: "%.1f", health.longest * 1000)) ms"
        )
        let fixed = fixed(rated.max() ?? .zero)
        print(
            "      worst case 1 + 2 + 4 = \(milliseconds(fixed)) of the \(window) ms between the weight change and "
                + "the next analysis (\(percent(fixed, of: .milliseconds(window))) of it, before the canary's "
                + "first request arrives)"
        )
    }
}

/// A random pause shorter than `interval`.
private func randomOffset(within interval: Duration) -> Duration {
    .milliseconds(Int.random(in: 0..<max(1, Int(interval / .milliseconds(1)))))
}

/// "median 12.3 ms, p90 20.1 ms, max 25.0 ms (n=20)".
private func summary(_ samples: [Duration]) -> String {
    let sorted = samples.sorted()
    guard !sorted.isEmpty else { return "no samples" }
    let p90 = sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.9).rounded(.up)) - 1)]
    return "median \(milliseconds(sorted[sorted.count / 2])), p90 \(milliseconds(p90)), "
        + "max \(milliseconds(sorted.last!)) (n=\(sorted.count))"
}

private func milliseconds(_ duration: Duration) -> String {
    let value = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    return String(format: "%.1f ms", value)
}

private func percent(_ part: Duration, of whole: Duration) -> String {
    String(format: "%.0f%%", 100 * (part / whole))
}

private struct MetricsPathBenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// nginx, the exporter and (one at a time) Prometheus on a scratch work directory, with two in-process backends
/// standing in for the primary and canary pods. The canary answers `/status/NNN` with NNN, so each trial of stage 4
/// can make a series nobody has seen.
private final class MetricsPathStack: @unchecked Sendable {
    let workDirectory: WorkDirectory
    let store = ObjectStore()
    let supervisor: ProcessSupervisor
    let ports = PortAllocator()
    let directory = ServiceDirectory()
    var pods: [LocalHTTPServer] = []
    var ingress: IngressController?
    let exporter: IngressMetricsExporter
    var exporterPort = 0
    var prometheus: PrometheusServer?
    /// Requests sent through the ingress so far (every one is logged and counted).
    var sent = 0
    var nextStatus = 201

    init() throws {
        workDirectory = WorkDirectory(
            path: NSTemporaryDirectory() + "rollout-bench-\(UUID().uuidString.prefix(8))"
        )
        _ = try workDirectory.claim()
        supervisor = ProcessSupervisor(pidDirectory: workDirectory.pids)
        exporter = IngressMetricsExporter(accessLogPath: workDirectory.logs + "/ingress-access.log")
    }

    func start(nginx: String) async throws {
        for (name, app) in [("podinfo-primary-1", "podinfo-primary"), ("podinfo-1", "podinfo")] {
            let server = try await LocalHTTPServer(name: name, port: try ports.next()) { request in
                if request.path.hasPrefix("/status/"), let status = Int(request.path.dropFirst("/status/".count)) {
                    return .init(status: status)
                }
                return .init(status: 200, body: name)
            }
            pods.append(server)
            let pod = Pod(
                metadata: ObjectMeta(name: name, namespace: "test", labels: ["app": app]),
                spec: PodRuntimeSpec(
                    port: server.port,
                    deployment: app,
                    templateHash: "bench",
                    version: nil,
                    hasProcess: false
                )
            )
            let stored = await store.apply(pod)
            await store.setStatus(stored.key, PodStatus(phase: "Running", ready: true, restartCount: 0))
        }
        try await apply(Self.manifests(canaryWeight: 100))
        let ingress = try IngressController(
            store: store,
            supervisor: supervisor,
            directory: directory,
            ports: ports,
            nginxPath: nginx,
            workDirectory: workDirectory
        )
        self.ingress = ingress
        exporterPort = try ports.next()
        try await exporter.start(port: exporterPort)
        try await ingress.start()
    }

    func stop() async {
        await stopPrometheus()
        await exporter.stop()
        for pod in pods { await pod.stop() }
        await supervisor.stopAll()
    }

    func cleanUp() {
        workDirectory.cleanStale()
    }

    /// Stage 1: the canary Ingress' weight changes; the sync the canary controller runs after a routing change.
    func changeWeight(to weight: Int) async throws -> Duration {
        guard let ingress else { throw MetricsPathBenchError("nginx is not running") }
        let start = ContinuousClock.now
        try await apply(Self.manifests(canaryWeight: weight))
        try await ingress.sync()
        return ContinuousClock.now - start
    }

    /// One request through the ingress; returns when its response ended.
    private func request(path: String) async throws {
        guard let ingress else { throw MetricsPathBenchError("nginx is not running") }
        let response = try await HTTPClient.shared.get(
            "http://127.0.0.1:\(ingress.port)\(path)",
            host: "app.example.com",
            timeout: .seconds(5)
        )
        guard response.status < 500 else { throw MetricsPathBenchError("GET \(path) answered \(response.status)") }
        sent += 1
    }

    /// Stage 2: a response through the ingress until the exporter has counted its access-log line.
    func requestUntilExported(path: String) async throws -> Duration {
        try await request(path: path)
        let start = ContinuousClock.now
        try await waitUntil("the exporter counted request \(sent)") {
            await self.exporter.current().linesCounted >= self.sent
        }
        return ContinuousClock.now - start
    }

    func startPrometheus(
        prometheusPath: String,
        timeScale: Double,
        scrapeInterval: Duration?
    ) async throws -> PrometheusServer {
        let runDirectory = WorkDirectory(path: workDirectory.path + "/prometheus-\(prometheusRuns)")
        try FileManager.default.createDirectory(atPath: runDirectory.logs, withIntermediateDirectories: true)
        let prometheus = try PrometheusServer(
            supervisor: supervisor,
            executable: prometheusPath,
            // A fresh TSDB each time, so one run's samples and WAL replay do not weigh on the next.
            workDirectory: runDirectory,
            port: try ports.next(),
            timeScale: timeScale,
            scrapeInterval: scrapeInterval
        )
        let launched = ContinuousClock.now
        try await prometheus.start(exporterAddress: "127.0.0.1:\(exporterPort)")
        let ready = ContinuousClock.now
        try await prometheus.waitUntilScraping()
        print(
            "   prometheus start → /-/ready \(milliseconds(ready - launched)), → first scrape of the exporter "
                + "\(milliseconds(ContinuousClock.now - launched)) (discovery hands over targets on a 5 s timer; "
                + "a stack is up, and a stopped Prometheus back, only after it)"
        )
        self.prometheus = prometheus
        prometheusRuns += 1
        prometheusPID = await supervisor.pid(of: "prometheus")
        // Its first scrapes see every series the earlier stages made.
        let client = PrometheusClient(address: prometheus.url)
        try await waitUntil("prometheus scraped the exporter") {
            ((try? await client.value(#"sum(nginx_ingress_controller_requests{namespace="test"})"#)) ?? 0)
                >= Double(self.sent)
        }
        return prometheus
    }

    /// How the exporter's scrapes went over the last `elapsed`: a failed scrape loses a sample, and a lost zero
    /// sample of a new series hides its first requests from `rate()`.
    func scrapeHealth(
        _ prometheus: PrometheusServer,
        over elapsed: Duration
    ) async -> (scrapes: Int, failed: Int, longest: Double) {
        let client = PrometheusClient(address: prometheus.url)
        let window = "\(Int(elapsed / .milliseconds(1)))ms"
        let selector = #"{job="ingress-nginx"}"#
        let scrapes = (try? await client.value("sum(count_over_time(up\(selector)[\(window)]))")) ?? 0
        let up = (try? await client.value("sum(sum_over_time(up\(selector)[\(window)]))")) ?? 0
        let longest =
            (try? await client.value("max(max_over_time(scrape_duration_seconds\(selector)[\(window)]))")) ?? 0
        return (Int(scrapes), Int(scrapes - up), longest)
    }

    /// User plus system CPU time of the running Prometheus (`/proc/<pid>/stat`), nil where there is no procfs.
    func prometheusCPU() -> Duration? {
        guard let pid = prometheusPID,
            let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // After "pid (comm)": state is field 3, utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        let ticks = sysconf(Int32(_SC_CLK_TCK))
        return .milliseconds((user + system) * 1000 / max(ticks, 1))
    }

    private var prometheusPID: Int32?
    private var prometheusRuns = 0

    func stopPrometheus() async {
        guard let prometheus else { return }
        await prometheus.stopProcess()
        self.prometheus = nil
    }

    /// Stage 3: a request counted by the exporter until an instant query returns the new total.
    func exportedUntilSampled(_ prometheus: PrometheusServer) async throws -> Duration {
        _ = try await requestUntilExported(path: "/")
        let start = ContinuousClock.now
        let client = PrometheusClient(address: prometheus.url)
        let wanted = Double(sent)
        try await waitUntil("prometheus has \(sent) requests") {
            ((try? await client.value(#"sum(nginx_ingress_controller_requests{namespace="test"})"#)) ?? 0) >= wanted
        }
        return ContinuousClock.now - start
    }

    /// Stage 4: the first request of a series nobody has seen until `rate()` over the window returns a value; nil
    /// when it never does (within 3 s).
    func newSeriesUntilRated(_ prometheus: PrometheusServer, windowMilliseconds: Int) async throws -> Duration? {
        let status = nextStatus
        nextStatus += 1
        try await request(path: "/status/\(status)")
        let start = ContinuousClock.now
        let client = PrometheusClient(address: prometheus.url)
        let query =
            #"sum(rate(nginx_ingress_controller_requests{namespace="test",ingress="podinfo",canary!="",status=""#
            + "\(status)\"}[\(windowMilliseconds)ms]))"
        do {
            try await waitUntil("rate() of status \(status) answered", within: .seconds(3)) {
                ((try? await client.value(query)) ?? 0) > 0
            }
        } catch {
            return nil
        }
        return ContinuousClock.now - start
    }

    private func waitUntil(
        _ what: String,
        within limit: Duration = .seconds(10),
        _ condition: @Sendable () async -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw MetricsPathBenchError("timed out waiting until \(what)")
    }

    private func apply(_ text: String) async throws {
        let loaded = ManifestLoader.load(text, file: "bench.yaml")
        guard !loaded.hasErrors else { throw MetricsPathBenchError("\(loaded.diagnostics)") }
        for object in loaded.objects { await store.apply(object) }
    }

    /// Services `podinfo` and `podinfo-canary`, the Ingress on app.example.com and its canary Ingress at `weight`.
    static func manifests(canaryWeight weight: Int) -> String {
        """
        apiVersion: v1
        kind: Service
        metadata: {name: podinfo, namespace: test}
        spec:
          selector: {app: podinfo-primary}
          ports: [{name: http, port: 9898, targetPort: http}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: podinfo-canary, namespace: test}
        spec:
          selector: {app: podinfo}
          ports: [{name: http, port: 9898, targetPort: http}]
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: podinfo, namespace: test}
        spec:
          ingressClassName: nginx
          rules:
            - host: app.example.com
              http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: podinfo, port: {number: 9898}}}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: podinfo-canary
          namespace: test
          annotations:
            nginx.ingress.kubernetes.io/canary: "true"
            nginx.ingress.kubernetes.io/canary-weight: "\(weight)"
        spec:
          ingressClassName: nginx
          rules:
            - host: app.example.com
              http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: podinfo-canary, port: {number: 9898}}}}
        """
    }
}
