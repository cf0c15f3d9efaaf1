import CurlHTTP
import Foundation
import HarnessServers
import LocalBackend
import ObjectModel
import TestSupport
import Testing

/// Prometheus scrapes the exporter; Flagger's builtin NGINX queries answer from it; a stopped Prometheus fails
/// metric checks fast.
@Suite struct PrometheusIntegrationTests {
    @Test func flaggersBuiltinQueriesAnswerFromIngressTraffic() async throws {
        try await Fixture.run { fixture in
            let nginx = try fixture.binary("nginx", "nginx-light")
            let prometheusPath = try fixture.binary("prometheus", "prometheus")
            let primary = try await fixture.fakePod(
                name: "podinfo-primary-1",
                labels: ["app": "podinfo-primary"],
                body: "p"
            )
            let canary = try await fixture.fakePod(name: "podinfo-1", labels: ["app": "podinfo"], body: "c")
            defer {
                Task {
                    await primary.stop(); await canary.stop()
                }
            }
            try await fixture.applyApp(canaryAnnotations: [
                "nginx.ingress.kubernetes.io/canary": "true", "nginx.ingress.kubernetes.io/canary-weight": "100",
            ])
            let ingress = try IngressController(
                store: fixture.store,
                supervisor: fixture.supervisor,
                directory: fixture.directory,
                ports: fixture.ports,
                nginxPath: nginx,
                workDirectory: fixture.workDirectory
            )
            let exporter = IngressMetricsExporter(accessLogPath: ingress.accessLogPath)
            let exporterPort = try fixture.ports.next()
            try await exporter.start(port: exporterPort)
            let prometheus = try PrometheusServer(
                supervisor: fixture.supervisor,
                executable: prometheusPath,
                workDirectory: fixture.workDirectory,
                port: try fixture.ports.next(),
                timeScale: 0.1
            )
            do {
                try await ingress.start()
                try await prometheus.start(exporterAddress: "127.0.0.1:\(exporterPort)")
                let report = try await LoadGenerator(
                    LoadSpec(
                        url: "http://127.0.0.1:\(ingress.port)/",
                        host: "app.example.com",
                        mode: .concurrency(2),
                        limit: .requests(25)
                    )
                ).run()
                #expect(report.count(200) == 25)
                let client = PrometheusClient(address: prometheus.url)
                let total = #"sum(nginx_ingress_controller_requests{namespace="test",ingress="podinfo"})"#
                var seen = 0.0
                let deadline = ContinuousClock.now + .seconds(15)
                while ContinuousClock.now < deadline {
                    seen = (try? await client.value(total)) ?? 0
                    if seen >= 25 { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(seen == 25)
                // The series was born with these requests, and rate()/increase() still count all of them: the
                // exporter shows a new series at zero first (at a scaled 3 s window they are the whole sample).
                let increase = try await client.value(
                    #"sum(increase(nginx_ingress_controller_requests{namespace="test",ingress="podinfo"}[10s]))"#
                )
                #expect(increase >= 25, "increase() missed the requests that created the series: \(increase)")
                // Flagger's request-success-rate, verbatim from spec/flagger.md §3.1 with a 30s window; rate()
                // needs the counter to move, so traffic keeps flowing while we ask.
                let traffic = Task {
                    try await LoadGenerator(
                        LoadSpec(
                            url: "http://127.0.0.1:\(ingress.port)/",
                            host: "app.example.com",
                            mode: .rate(50, maxInFlight: 4),
                            limit: .duration(.seconds(15))
                        )
                    ).run()
                }
                defer { traffic.cancel() }
                let successRate = """
                    sum(rate(nginx_ingress_controller_requests{namespace="test",ingress="podinfo",canary!="",\
                    status!~"5.*"}[30s])) / sum(rate(nginx_ingress_controller_requests{namespace="test",\
                    ingress="podinfo",canary!=""}[30s])) * 100
                    """
                var rate: Double?
                let rateDeadline = ContinuousClock.now + .seconds(10)
                while ContinuousClock.now < rateDeadline, rate == nil {
                    rate = try? await client.value(successRate)
                    if rate == nil { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(rate == 100)
                // Flagger's request-duration is a mean in ms: small but present.
                let duration = """
                    sum(rate(nginx_ingress_controller_response_duration_seconds_sum{namespace="test",\
                    ingress="podinfo",canary!=""}[30s])) / sum(rate(nginx_ingress_controller_response_duration_seconds_count\
                    {namespace="test",ingress="podinfo",canary!=""}[30s])) * 1000
                    """
                let mean = try await client.value(duration)
                #expect(mean >= 0 && mean < 500)
                // No canary traffic for another ingress: Flagger's "no values found".
                await #expect(throws: PrometheusClient.QueryError.self) {
                    try await client.value(#"sum(rate(nginx_ingress_controller_requests{ingress="nope"}[30s]))"#)
                }
            } catch {
                await exporter.stop()
                throw error
            }
            await exporter.stop()
        }
    }

    @Test func aStoppedPrometheusFailsQueriesFastInsteadOfHanging() async throws {
        try await Fixture.run { fixture in
            let prometheusPath = try fixture.binary("prometheus", "prometheus")
            let prometheus = try PrometheusServer(
                supervisor: fixture.supervisor,
                executable: prometheusPath,
                workDirectory: fixture.workDirectory,
                port: try fixture.ports.next(),
                timeScale: 0.1
            )
            try await prometheus.start(exporterAddress: "127.0.0.1:1")
            let client = PrometheusClient(address: prometheus.url)
            #expect(try await client.value("vector(1)") == 1)
            await prometheus.stopProcess()
            let began = ContinuousClock.now
            do {
                _ = try await client.value("vector(1)")
                Issue.record("a query against a stopped Prometheus succeeded")
            } catch let error as PrometheusClient.QueryError {
                #expect(!error.noValues)
            }
            #expect(began.duration(to: .now) < .seconds(5))
        }
    }
}
