import CurlHTTP
import Foundation
import HarnessServers
import LocalBackend
import ObjectModel
import TestSupport
import Testing
import YAML

/// The whole stack in process, as the scenario runner drives it: up to Initialized, a new revision analysed and
/// promoted through real traffic, faults.
@Suite struct LocalStackIntegrationTests {
    private func withStack(_ body: (LocalStack) async throws -> Void) async throws {
        let workDirectory = NSTemporaryDirectory() + "rollout-stack-\(UUID().uuidString.prefix(8))"
        let stack = try await LocalStack.start(
            LocalStackOptions(
                workDirectory: workDirectory,
                timeScale: 0.1,
                podinfoPath: try BuiltProducts.executable("podinfo")
            )
        )
        do {
            try await body(stack)
        } catch {
            await stack.stop()
            try? FileManager.default.removeItem(atPath: workDirectory)
            throw error
        }
        let pids = try FileManager.default.contentsOfDirectory(atPath: stack.workDirectory.pids)
            .compactMap { try? String(contentsOfFile: stack.workDirectory.pids + "/" + $0, encoding: .utf8) }
            .compactMap { $0.split(separator: "\n").first.flatMap { Int32($0) } }
        #expect(!pids.isEmpty)
        await stack.stop()
        #expect(pids.filter { StaleProcesses.isAlive($0) }.isEmpty)
        try? FileManager.default.removeItem(atPath: workDirectory)
    }

    private func version(_ stack: LocalStack) async throws -> String? {
        let response = try await HTTPClient.shared.get(stack.ingressURL + "/", host: DefaultApp.host)
        guard response.status == 200,
            let json = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        else { return nil }
        return json["version"] as? String
    }

    @Test func upReachesInitializedAndServesTheManifestVersion() async throws {
        try await withStack { stack in
            let took = try await stack.waitForCanaries(phase: "Initialized", timeout: .seconds(10))
            #expect(took < .seconds(5))
            #expect(try await version(stack) == DefaultApp.version)
            // The primary took over: the target is scaled to zero, the apex Service selects the primary.
            let target = await stack.deploymentStatus(namespace: "test", name: "podinfo")
            #expect(target?.replicas == 0)
            let primary = await stack.deploymentStatus(namespace: "test", name: "podinfo-primary")
            #expect(primary?.readyReplicas == 2)
            // Prometheus answers for the request that went through the ingress.
            let query = #"sum(nginx_ingress_controller_requests{namespace="test",ingress="podinfo"})"#
            var seen = 0.0
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline, seen < 1 {
                seen = (try? await stack.prometheusClient.value(query)) ?? 0
                if seen < 1 { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(seen >= 1)
        }
    }

    @Test func aKilledPrimaryReplicaIsRestartedAndTrafficKeepsFlowing() async throws {
        try await withStack { stack in
            try await stack.waitForCanaries(phase: "Initialized", timeout: .seconds(10))
            #expect(await stack.killReplica(namespace: "test", deployment: "podinfo-primary", index: 0))
            var restarted = false
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline, !restarted {
                let pods = await stack.pods(namespace: "test", deployment: "podinfo-primary")
                restarted = pods.contains { $0.status?.restartCount == 1 && $0.status?.ready == true }
                if !restarted { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(restarted)
            #expect(await stack.deploymentStatus(namespace: "test", name: "podinfo-primary")?.readyReplicas == 2)
            #expect(try await version(stack) == DefaultApp.version)
        }
    }

    @Test func aNewRevisionIsAnalysedWithRealTrafficAndPromoted() async throws {
        try await withStack { stack in
            try await stack.waitForCanaries(phase: "Initialized", timeout: .seconds(10))
            let deployment = try #require(DefaultApp.files["apps/podinfo/deployment.yaml"])
            let canary = try #require(DefaultApp.files["apps/podinfo/canary.yaml"])
            let alerts = [
                "    alerts:", "      - name: on-call", "        severity: info",
                "        providerRef: {name: on-call}",
                "    metrics:", "",
            ].joined(separator: "\n")
            let provider = """
                apiVersion: flagger.app/v1beta1
                kind: AlertProvider
                metadata: {name: on-call, namespace: test}
                spec: {type: slack, channel: rollouts, address: "http://alert-receiver.test/slack"}

                """
            try await stack.commit(
                [
                    "apps/podinfo/deployment.yaml": deployment.replacingOccurrences(of: ":6.0.0", with: ":6.0.1"),
                    "apps/podinfo/canary.yaml": canary.replacingOccurrences(of: "    metrics:\n", with: alerts)
                        + "---\n" + provider,
                ],
                message: "podinfo 6.0.1, alerts to on-call"
            )
            try await stack.waitForCanaries(phase: "Succeeded", timeout: .seconds(60))
            // Alerts are posted over HTTP after the status is written: wait (bounded) for the promotion alert.
            var received = await stack.alerts()
            let deadline = ContinuousClock.now + .seconds(5)
            while !received.contains(where: { $0.message.hasPrefix("Canary analysis completed") }),
                ContinuousClock.now < deadline
            {
                try await Task.sleep(for: .milliseconds(50))
                received = await stack.alerts()
            }
            #expect(received.contains { $0.message == "New revision detected, progressing canary analysis." })
            #expect(received.contains { $0.message == "Canary analysis completed successfully, promotion finished." })
            #expect(received.allSatisfy { $0.provider == "slack" && $0.target == "podinfo.test" })
            #expect(try await version(stack) == "6.0.1")
            let timeline = await stack.timeline.timeline(namespace: "test", name: "podinfo")
            let observations = timeline.compactMap { record -> CanaryObservation? in
                if case .canary(let observation) = record { return observation }
                return nil
            }
            #expect(observations.contains { $0.phase == "Progressing" && $0.routerWeight == 50 })
            #expect(observations.contains { $0.event == "Promotion completed! Scaling down podinfo.test" })
            // Flagger called the load-test hook on every analysed tick; the loadtester queued the command (202).
            let calls = await stack.webhookCalls()
            #expect(calls.contains { $0.name == "load-test" && $0.type == "rollout" && $0.status == 202 })
            // The load test webhook ran on the loadtester through the ingress.
            let reports = await stack.loadtesterServer.loadReports
            #expect(reports.contains { $0.report.requests > 0 })
        }
    }

    /// With an `autoscalerRef`, Flagger makes `<hpa>-primary` aimed at the primary (hpa_reconciler.go), and the HPA
    /// controller brings the primary to its minReplicas while the canary Flagger scaled to zero stays at zero.
    @Test func theCanarysHPAGetsAPrimaryCopyThatScalesThePrimary() async throws {
        try await withStack { stack in
            try await stack.waitForCanaries(phase: "Initialized", timeout: .seconds(10))
            let canary = try #require(DefaultApp.files["apps/podinfo/canary.yaml"])
            let kustomization = try #require(DefaultApp.files["apps/podinfo/kustomization.yaml"])
            let hpa = """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: podinfo
                  namespace: test
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
                  minReplicas: 3
                  maxReplicas: 5

                """
            try await stack.commit(
                [
                    "apps/podinfo/hpa.yaml": hpa,
                    "apps/podinfo/kustomization.yaml": kustomization + "  - hpa.yaml\n",
                    "apps/podinfo/canary.yaml": canary.replacingOccurrences(
                        of: "  ingressRef:",
                        with:
                            "  autoscalerRef: {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, name: podinfo}\n"
                            + "  ingressRef:"
                    ),
                ],
                message: "podinfo: an HPA"
            )
            let deadline = ContinuousClock.now + .seconds(20)
            var primaryReplicas: Any?
            while ContinuousClock.now < deadline {
                primaryReplicas = try await stack.object(
                    kind: "Deployment",
                    namespace: "test",
                    name: "podinfo-primary"
                )?
                .find(["spec", "replicas"])?.scalarValue
                if primaryReplicas as? String == "3" { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(primaryReplicas as? String == "3")
            let primaryHPA = try #require(
                try await stack.object(kind: "HorizontalPodAutoscaler", namespace: "test", name: "podinfo-primary")
            )
            #expect(primaryHPA.find(["spec", "scaleTargetRef", "name"])?.scalarValue == "podinfo-primary")
            #expect(primaryHPA.find(["spec", "minReplicas"])?.scalarValue == "3")
            #expect(primaryHPA.find(["spec", "maxReplicas"])?.scalarValue == "5")
            let canaryReplicas = try await stack.object(kind: "Deployment", namespace: "test", name: "podinfo")?
                .find(["spec", "replicas"])?.scalarValue
            #expect(canaryReplicas == "0")
        }
    }

    @Test func withPrometheusDownMetricChecksFailAndTheCanaryRollsBack() async throws {
        try await withStack { stack in
            try await stack.waitForCanaries(phase: "Initialized", timeout: .seconds(10))
            try await stack.fault(.stop, component: .prometheus)
            let deployment = try #require(DefaultApp.files["apps/podinfo/deployment.yaml"])
            try await stack.commit(
                ["apps/podinfo/deployment.yaml": deployment.replacingOccurrences(of: ":6.0.0", with: ":6.0.2")],
                message: "podinfo 6.0.2"
            )
            try await stack.waitForCanaries(phase: "Failed", timeout: .seconds(60))
            let observations = await stack.timeline.timeline(namespace: "test", name: "podinfo").compactMap {
                record -> CanaryObservation? in
                if case .canary(let observation) = record { return observation }
                return nil
            }
            // Five failed checks (the threshold) were recorded before Flagger zeroed them on rollback.
            #expect(observations.map(\.failedChecks).max() == 5)
            #expect(
                observations.contains {
                    $0.event?.contains("Prometheus query failed") == true
                        || $0.event?.contains("Metric query failed") == true
                }
            )
            #expect(try await version(stack) == DefaultApp.version)
        }
    }
}

/// What a scenario session does to a running stack: faults, object reads, webhook history.
@Suite struct LocalStackSessionIntegrationTests {
    @Test func faultsTakeComponentsDownAndBringThemBack() async throws {
        let workDirectory = NSTemporaryDirectory() + "rollout-stack-\(UUID().uuidString.prefix(8))"
        let stack = try await LocalStack.start(
            LocalStackOptions(
                workDirectory: workDirectory,
                timeScale: 0.1,
                podinfoPath: try BuiltProducts.executable("podinfo")
            )
        )
        do {
            // Up means Prometheus already scrapes the ingress (its discovery takes ~5 s after a start, a fixed
            // latency that would otherwise eat a scaled run's first analyses), and so does "back" after a fault.
            let scraped = #"count(up{job="ingress-nginx"})"#
            #expect(try await stack.prometheusClient.value(scraped) == 1)
            try await stack.fault(.stop, component: .prometheus)
            await #expect(throws: PrometheusClient.QueryError.self) {
                _ = try await stack.prometheusClient.value(scraped)
            }
            try await stack.fault(.start, component: .prometheus)
            #expect(try await stack.prometheusClient.value(scraped) == 1)
            try await stack.waitForCanaries(phase: "Initialized", timeout: .seconds(10))
            // nginx down: the ingress refuses connections; back up: it serves again with the current config.
            try await stack.fault(.stop, component: .nginx)
            await #expect(throws: HTTPClientError.self) {
                _ = try await HTTPClient.shared.get(stack.ingressURL + "/", host: DefaultApp.host, timeout: .seconds(2))
            }
            try await stack.fault(.start, component: .nginx)
            let response = try await HTTPClient.shared.get(stack.ingressURL + "/", host: DefaultApp.host)
            #expect(response.status == 200)
            // A killed redis comes back on its port when started.
            try await stack.fault(.kill, component: .redis)
            #expect(!isListening(port: LocalStack.port(of: stack.redisURL)))
            try await stack.fault(.start, component: .redis)
            #expect(isListening(port: LocalStack.port(of: stack.redisURL)))
            // Objects read back with their status, as `kubectl get -o yaml` shows them.
            let node = try #require(
                try await stack.object(kind: "Deployment", namespace: "test", name: "podinfo-primary")
            )
            #expect(node.find(["status", "readyReplicas"])?.scalarValue == "2")
            #expect(node.find(["metadata", "generation"])?.scalarValue == "1")
            let canary = try #require(try await stack.object(kind: "Canary", namespace: "test", name: "podinfo"))
            #expect(canary.find(["status", "phase"])?.scalarValue == "Initialized")
            #expect(try await stack.object(kind: "Deployment", namespace: "test", name: "nope") == nil)
            // Replica faults name a replica that exists.
            await #expect(throws: LocalBackendError.self) {
                try await stack.fault(.kill, namespace: "test", deployment: "podinfo-primary", replica: 7)
            }
        } catch {
            await stack.stop()
            throw error
        }
        await stack.stop()
        try? FileManager.default.removeItem(atPath: workDirectory)
    }
}
