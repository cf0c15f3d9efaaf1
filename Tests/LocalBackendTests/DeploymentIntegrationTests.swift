import CurlHTTP
import Foundation
import LocalBackend
import ObjectModel
import TestSupport
import Testing

/// Deployments run as supervised podinfo processes with Kubernetes-shaped status.
@Suite struct DeploymentIntegrationTests {
    private func manifest(replicas: Int, tag: String, extraArgs: [String] = [], deadline: Int = 600) -> String {
        let args = (["./podinfo", "--port=9898", "--level=debug"] + extraArgs).map { "            - \($0)" }
            .joined(separator: "\n")
        return """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: podinfo, namespace: test}
            spec:
              replicas: \(replicas)
              progressDeadlineSeconds: \(deadline)
              selector: {matchLabels: {app: podinfo}}
              template:
                metadata: {labels: {app: podinfo}}
                spec:
                  containers:
                  - name: podinfod
                    image: ghcr.io/stefanprodan/podinfo:\(tag)
                    command:
            \(args)
                    env:
                    - {name: PODINFO_UI_MESSAGE, value: "hello \(tag)"}

            """
    }

    private func withDeployments(
        timeScale: Double = 1,
        _ body: (Fixture, DeploymentController) async throws -> Void
    ) async throws {
        try await Fixture.run { fixture in
            let podinfo = try BuiltProducts.executable("podinfo")
            let controller = DeploymentController(
                store: fixture.store,
                supervisor: fixture.supervisor,
                ports: fixture.ports,
                directory: fixture.directory,
                podinfoPath: podinfo,
                workDirectory: fixture.workDirectory,
                timeScale: timeScale,
                cacheServerURL: nil
            )
            try await whileRunning(controller) { try await body(fixture, controller) }
        }
    }

    private func apply(_ fixture: Fixture, _ text: String) async throws {
        let loaded = ManifestLoader.load(text, file: "deployment.yaml")
        #expect(!loaded.hasErrors, "\(loaded.diagnostics)")
        for object in loaded.objects { await fixture.store.apply(object) }
    }

    private func status(_ fixture: Fixture) async -> DeploymentStatus? {
        await fixture.store.status(
            DeploymentStatus.self,
            of: ObjectKey(kind: "Deployment", namespace: "test", name: "podinfo")
        )
    }

    private func waitFor(
        _ fixture: Fixture,
        timeout: Duration = .seconds(20),
        _ condition: (DeploymentStatus) -> Bool
    ) async throws -> DeploymentStatus {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = await status(fixture), condition(status) { return status }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestSupportError("deployment status never matched; last: \(String(describing: await status(fixture)))")
    }

    private func pods(_ fixture: Fixture) async -> [(Pod, PodStatus?)] {
        await fixture.store.list(kind: "Pod", namespace: "test").compactMap { stored in
            (stored.object as? Pod).map { ($0, stored.status as? PodStatus) }
        }
    }

    @Test func replicasServePodinfoWithTheImageTagAsVersion() async throws {
        try await withDeployments { fixture, _ in
            try await apply(fixture, manifest(replicas: 2, tag: "6.0.1"))
            let status = try await waitFor(fixture) { $0.readyReplicas == 2 && $0.availableReplicas == 2 }
            #expect(status.condition("Available")?.status == "True")
            #expect(status.condition("Progressing")?.reason == "NewReplicaSetAvailable")
            let pods = await pods(fixture)
            #expect(pods.count == 2)
            #expect(Set(pods.map(\.0.spec.port)).count == 2)
            for (pod, _) in pods {
                let response = try await HTTPClient.shared.get("http://127.0.0.1:\(pod.spec.port)/")
                #expect(response.status == 200)
                #expect(
                    response.text.contains("\"version\": \"6.0.1\"") || response.text.contains("\"version\":\"6.0.1\"")
                )
                #expect(response.text.contains("hello 6.0.1"))
            }
        }
    }

    @Test func aKilledReplicaIsRestartedAndShowsInStatus() async throws {
        try await withDeployments { fixture, controller in
            try await apply(fixture, manifest(replicas: 2, tag: "6.0.1"))
            _ = try await waitFor(fixture) { $0.readyReplicas == 2 }
            let name = try #require(await controller.processNames(namespace: "test", deployment: "podinfo").first)
            await fixture.supervisor.signal(name, SIGKILL)
            _ = try await waitFor(fixture, timeout: .seconds(5)) { $0.readyReplicas == 1 }
            _ = try await waitFor(fixture) { $0.readyReplicas == 2 }
            let deadline = ContinuousClock.now + .seconds(5)
            var restarts = 0
            while ContinuousClock.now < deadline, restarts == 0 {
                restarts = await pods(fixture).map { $0.1?.restartCount ?? 0 }.reduce(0, +)
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(restarts == 1)
        }
    }

    @Test func aTemplateChangeRollsOutAndScaleToZeroStopsEverything() async throws {
        try await withDeployments { fixture, _ in
            try await apply(fixture, manifest(replicas: 2, tag: "6.0.1"))
            let first = try await waitFor(fixture) { $0.readyReplicas == 2 }
            try await apply(fixture, manifest(replicas: 2, tag: "6.0.2"))
            let rolled = try await waitFor(fixture) {
                $0.observedGeneration > first.observedGeneration && $0.updatedReplicas == 2 && $0.replicas == 2
                    && $0.availableReplicas == 2
            }
            #expect(rolled.condition("Progressing")?.reason == "NewReplicaSetAvailable")
            let versions = await pods(fixture).map(\.0.spec.version)
            #expect(versions == ["6.0.2", "6.0.2"])
            // The old replicas drain (podinfo's shutdown grace) and are gone soon after.
            let drained = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < drained, await fixture.supervisor.runningNames.count != 2 {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(await fixture.supervisor.runningNames.count == 2)
            try await apply(fixture, manifest(replicas: 0, tag: "6.0.2"))
            _ = try await waitFor(fixture) { $0.replicas == 0 }
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline, await !fixture.supervisor.runningNames.isEmpty {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(await fixture.supervisor.runningNames.isEmpty)
            #expect(await pods(fixture).isEmpty)
        }
    }

    @Test func aReplicaThatNeverBecomesReadyExceedsTheProgressDeadline() async throws {
        try await withDeployments(timeScale: 0.1) { fixture, _ in
            // An unknown flag makes podinfo exit at once: a crash loop, like a broken image.
            try await apply(fixture, manifest(replicas: 1, tag: "6.0.1", extraArgs: ["--no-such-flag"], deadline: 10))
            let status = try await waitFor(fixture, timeout: .seconds(10)) { $0.progressDeadlineExceeded }
            #expect(status.readyReplicas == 0)
            #expect(status.condition("Progressing")?.message.contains("has timed out progressing") == true)
        }
    }
}
