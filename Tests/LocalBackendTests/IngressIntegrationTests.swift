import CurlHTTP
import Foundation
import HarnessServers
import LocalBackend
import ObjectModel
import Synchronization
import TestSupport
import Testing

/// nginx routing from Ingress objects and canary annotations, and the access log → exporter path.
@Suite struct IngressIntegrationTests {
    /// Starts nginx and the exporter with a primary and a canary backend; the body gets the ingress and exporter.
    private func withIngress(
        canaryAnnotations: [String: String]?,
        _ body: (Fixture, IngressController, IngressMetricsExporter) async throws -> Void
    ) async throws {
        try await Fixture.run { fixture in
            let nginx = try fixture.binary("nginx", "nginx-light")
            let primary = try await fixture.fakePod(
                name: "podinfo-primary-1",
                labels: ["app": "podinfo-primary"],
                body: "primary"
            )
            let canary = try await fixture.fakePod(name: "podinfo-1", labels: ["app": "podinfo"], body: "canary")
            defer {
                Task {
                    await primary.stop(); await canary.stop()
                }
            }
            try await fixture.applyApp(canaryAnnotations: canaryAnnotations)
            let ingress = try IngressController(
                store: fixture.store,
                supervisor: fixture.supervisor,
                directory: fixture.directory,
                ports: fixture.ports,
                nginxPath: nginx,
                workDirectory: fixture.workDirectory
            )
            let exporter = IngressMetricsExporter(accessLogPath: ingress.accessLogPath)
            try await exporter.start(port: try fixture.ports.next())
            do {
                try await ingress.start()
                try await whileRunning(ingress) { try await body(fixture, ingress, exporter) }
            } catch {
                await exporter.stop()
                throw error
            }
            await exporter.stop()
        }
    }

    /// nginx logs a request just after answering it, so the last lines of a burst land a moment after the client
    /// saw the responses: wait (bounded) for the exporter to reach `expected`, then report what it has.
    private func count(
        _ exporter: IngressMetricsExporter,
        reaching expected: Int,
        where filter: @escaping (String, String, String) -> Bool
    ) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(5)
        var seen = 0
        while ContinuousClock.now < deadline {
            seen = await exporter.current().requestCount(where: filter)
            if seen >= expected { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        try await Task.sleep(for: .milliseconds(100))
        return await exporter.current().requestCount(where: filter)
    }

    private func load(_ ingress: IngressController, requests: Int, headers: [HTTPHeader] = []) async throws
        -> LoadReport
    {
        try await LoadGenerator(
            LoadSpec(
                url: "http://127.0.0.1:\(ingress.port)/",
                headers: headers,
                host: "app.example.com",
                mode: .concurrency(8),
                limit: .requests(requests),
                sampleBody: true
            )
        ).run()
    }

    @Test func routesByHostToThePrimaryAndAnswers404ForUnknownHosts() async throws {
        try await withIngress(canaryAnnotations: nil) { _, ingress, _ in
            let url = "http://127.0.0.1:\(ingress.port)/"
            let known = try await HTTPClient.shared.get(url, host: "app.example.com")
            #expect(known.status == 200)
            #expect(known.text == "primary")
            let unknown = try await HTTPClient.shared.get(url, host: "other.example.com")
            #expect(unknown.status == 404)
        }
    }

    @Test func everyRequestThroughTheIngressIsCountedOnce() async throws {
        try await withIngress(canaryAnnotations: nil) { _, ingress, exporter in
            let before = await exporter.current().requestCount { ingress, _, _ in ingress == "podinfo" }
            let report = try await load(ingress, requests: 2_000)
            #expect(report.count(200) == 2_000)
            let after = try await count(exporter, reaching: before + 2_000) { ingress, canary, status in
                ingress == "podinfo" && canary.isEmpty && status == "200"
            }
            #expect(after - before == 2_000)
        }
    }

    @Test func weight20SendsAFifthOfTheTrafficToTheCanary() async throws {
        let annotations = [
            "nginx.ingress.kubernetes.io/canary": "true", "nginx.ingress.kubernetes.io/canary-weight": "20",
        ]
        try await withIngress(canaryAnnotations: annotations) { _, ingress, exporter in
            let total = 2_000
            let canaryBodies = Mutex(0)
            let report = try await LoadGenerator(
                LoadSpec(
                    url: "http://127.0.0.1:\(ingress.port)/",
                    host: "app.example.com",
                    mode: .concurrency(8),
                    limit: .requests(total),
                    sampleBody: true
                )
            ) { sample in
                if sample.bodySample == Array("canary".utf8) { canaryBodies.withLock { $0 += 1 } }
            }.run()
            #expect(report.count(200) == total)
            let servedByCanary = canaryBodies.withLock { $0 }
            let share = Double(servedByCanary) / Double(total) * 100
            #expect(abs(share - 20) <= 3, "canary share \(share) %")
            // The exporter labels exactly those requests as canary traffic, as Flagger's queries expect.
            let all = try await count(exporter, reaching: total) { ingress, _, _ in ingress == "podinfo" }
            #expect(all == total)
            let labelled = await exporter.current().requestCount { ingress, canary, _ in
                ingress == "podinfo" && canary == "test-podinfo-canary-9898"
            }
            #expect(labelled == servedByCanary)
        }
    }

    @Test func headerAndCookieRoutingOverrideTheWeight() async throws {
        let annotations = [
            "nginx.ingress.kubernetes.io/canary": "true", "nginx.ingress.kubernetes.io/canary-weight": "0",
            "nginx.ingress.kubernetes.io/canary-by-header": "X-Canary",
            "nginx.ingress.kubernetes.io/canary-by-cookie": "canary",
        ]
        try await withIngress(canaryAnnotations: annotations) { _, ingress, _ in
            let url = "http://127.0.0.1:\(ingress.port)/"
            let plain = try await HTTPClient.shared.get(url, host: "app.example.com")
            #expect(plain.text == "primary")
            let always = try await HTTPClient.shared.get(
                url,
                headers: [HTTPHeader("X-Canary", "always")],
                host: "app.example.com"
            )
            #expect(always.text == "canary")
            let never = try await HTTPClient.shared.get(
                url,
                headers: [HTTPHeader("X-Canary", "never"), HTTPHeader("Cookie", "canary=always")],
                host: "app.example.com"
            )
            #expect(never.text == "primary")
            let cookie = try await HTTPClient.shared.get(
                url,
                headers: [HTTPHeader("Cookie", "a=b; canary=always")],
                host: "app.example.com"
            )
            #expect(cookie.text == "canary")
        }
    }

    @Test func annotationChangesAreReloadedWithoutDroppingRequests() async throws {
        let annotations = [
            "nginx.ingress.kubernetes.io/canary": "true", "nginx.ingress.kubernetes.io/canary-weight": "0",
        ]
        try await withIngress(canaryAnnotations: annotations) { fixture, ingress, _ in
            let generator = LoadGenerator(
                LoadSpec(
                    url: "http://127.0.0.1:\(ingress.port)/",
                    host: "app.example.com",
                    mode: .concurrency(4),
                    limit: .duration(.seconds(2)),
                    sampleBody: true
                )
            )
            async let report = generator.run()
            try await Task.sleep(for: .milliseconds(300))
            await fixture.store.update(Ingress.self, namespace: "test", name: "podinfo-canary") {
                $0.metadata.annotations?["nginx.ingress.kubernetes.io/canary-weight"] = "100"
            }
            try await ingress.sync()
            let after = try await HTTPClient.shared.get("http://127.0.0.1:\(ingress.port)/", host: "app.example.com")
            #expect(after.text == "canary")
            let finished = try await report
            #expect(finished.errors == 0)
            #expect(finished.countsByStatus.keys.allSatisfy { $0 == 200 }, "\(finished.countsByStatus)")
        }
    }

    @Test func aServiceWithoutReadyEndpointsAnswers503() async throws {
        try await withIngress(canaryAnnotations: nil) { fixture, ingress, _ in
            let pod = ObjectKey(kind: "Pod", namespace: "test", name: "podinfo-primary-1")
            await fixture.store.setStatus(pod, PodStatus(phase: "Running", ready: false, restartCount: 0))
            try await ingress.sync()
            let response = try await HTTPClient.shared.get("http://127.0.0.1:\(ingress.port)/", host: "app.example.com")
            #expect(response.status == 503)
        }
    }
}
