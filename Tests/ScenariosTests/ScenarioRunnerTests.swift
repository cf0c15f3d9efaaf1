import Foundation
import ObjectModel
import Scenarios
import Synchronization
import Testing
import YAML

/// The runner against a recording double: step order, waits, timeouts, catch/finally, parallelism.
struct ScenarioRunnerTests {
    /// A promotion that starts at the commit (scenario seconds after it: at time scale 0.001, 50 is 50 ms).
    static let promotion = Fixtures.timeline([
        (50, "Progressing", 0, 0), (100, "Progressing", 10, 0), (150, "Progressing", 20, 0),
        (200, "Promoting", 20, 0), (250, "Finalising", 0, 0), (300, "Succeeded", 0, 0),
    ])

    static let steps = """
            - wait: {canary: podinfo, phase: Initialized}
              timeout: 10h
            - traffic: {start: users, rate: 10, until: {canary: podinfo}}
            - commit:
                message: release 6.0.1
                changes: [{file: apps/podinfo/deployment.yaml, image: {tag: 6.0.1}}]
            - wait: {canary: podinfo, phase: [Succeeded, Failed]}
              timeout: 10h
        """

    final class Output: Sendable {
        let text = Mutex("")
        var value: String { text.withLock { $0 } }
        var write: @Sendable (String) -> Void { { piece in self.text.withLock { $0 += piece } } }
    }

    /// Waits expected to pass get `timeout: 10h` (36 s here) and the scenario 10h too: the tests share two
    /// cooperative threads with suites that block on child processes, and must not fail for being slow.
    private func runner(
        _ backend: RecordingBackend,
        parallel: Int = 2,
        slack: Duration = .seconds(2),
        output: Output = Output()
    ) throws -> ScenarioRunner {
        let options = RunnerOptions(
            parallel: parallel,
            timeScale: 0.001,
            reportDirectory: NSTemporaryDirectory() + "reports-\(UUID().uuidString)",
            timeoutSlack: slack,
            pollInterval: .milliseconds(10)
        )
        return ScenarioRunner(
            backend: backend,
            options: options,
            progress: ProgressReporter(live: false, write: output.write)
        )
    }

    @Test func aPromotionRunsEveryStepInOrder() async throws {
        let text = Fixtures.scenario(
            steps: Self.steps + """

                    - assert:
                        timeline: {canary: podinfo, finalPhase: Succeeded, weights: [10, 20], maxFailedChecks: 0}
                """
        )
        let backend = RecordingBackend(script: Self.promotion)
        let output = Output()
        let result = await try runner(backend, output: output).run(Fixtures.loaded(text))
        #expect(result.passed, "\(result.failure ?? "")")
        #expect(result.steps.map(\.status) == Array(repeating: .passed, count: 5))
        #expect(result.outcomes.map(\.outcome) == ["promoted"])
        #expect(result.expectedFinalPhase == "Succeeded")
        let session = try #require(backend.session("promote"))
        #expect(session.calls.prefix(2) == ["start users app.example.com/ duration=none", "commit main release 6.0.1"])
        // `until` stopped the load once the canary had finished.
        #expect(session.calls.contains("stop users"))
        #expect(session.closed)
        #expect(session.setup.namespaces == ["test"])
        #expect(session.setup.branches == ["main"])
        #expect(session.setup.gitContent?.hasSuffix("/gitops") == true)
        #expect(result.observations.canaries["podinfo.test"]?.last?.phase == "Succeeded")
        #expect(output.value.contains("[promote] started"))
        // The state is polled after every step too, so these two lines are there however slow the machine is.
        #expect(output.value.contains("Initialized weight=0 failedChecks=0  step 2/5: start traffic users"))
        #expect(output.value.contains("Succeeded weight=0 failedChecks=0"))
        #expect(output.value.contains("✔ promote passed"))
    }

    @Test func aTimedOutWaitRunsCatchAndFinallyAndCollectsDiagnostics() async throws {
        let text = Fixtures.scenario(
            steps: Self.steps + """

                    - wait: {canary: podinfo, phase: Failed}
                      timeout: 30s
                    - gate: {canary: podinfo, type: rollback, action: open}
                """,
            extra: """
                  catch:
                    - gate: {canary: podinfo, type: confirm-promotion, action: close}
                  finally:
                    - traffic: {stop: users}
                """
        )
        let backend = RecordingBackend(script: Self.promotion)
        let result = await try runner(backend).run(Fixtures.loaded(text))
        #expect(!result.passed)
        #expect(
            result.steps.map(\.status) == [.passed, .passed, .passed, .passed, .failed, .skipped, .passed, .passed]
        )
        #expect(result.steps.map(\.list) == ["steps", "steps", "steps", "steps", "steps", "steps", "catch", "finally"])
        let failure = try #require(result.failure)
        #expect(
            failure.hasPrefix(
                "step 5 \"wait podinfo Failed\" failed: timed out waiting for podinfo Failed; last observed: phase Succeeded, canaryWeight 0, failedChecks 0, iterations 0"
            )
        )
        #expect(failure.contains("timeline: 0.0s Initialized w0/0 fc0 →"))
        let session = try #require(backend.session("promote"))
        #expect(session.calls.suffix(3) == ["gate podinfo.test confirm-promotion close", "stop users", "collect"])
        #expect(result.diagnostics == ["promote/diagnostics/canary.txt"])
        #expect(session.closed)
    }

    @Test func aTimedOutWaitNamesTheFluxObjectsThatAreNotReady() async throws {
        let text = Fixtures.scenario(
            steps: """
                    - apply:
                        manifests:
                          - apiVersion: kustomize.toolkit.fluxcd.io/v1
                            kind: Kustomization
                            metadata: {name: podinfo, namespace: flux-system}
                            spec: {sourceRef: {kind: GitRepository, name: podinfo}, path: ./apps/test, interval: 1m, prune: true}
                    - wait: {canary: podinfo, phase: Failed}
                      timeout: 30s
                """
        )
        let kustomization = try YAMLParser.parse(
            """
            kind: Kustomization
            status:
              conditions:
                - {type: Ready, status: "False", reason: BuildFailed, message: "accumulating resources: missing.yaml"}
            """,
            file: "k.yaml"
        )[0].node
        let backend = RecordingBackend(script: Self.promotion, objects: ["Kustomization/podinfo": kustomization])
        let result = await try runner(backend).run(Fixtures.loaded(text))
        let failure = try #require(result.failure)
        #expect(
            failure.hasPrefix(
                "step 2 \"wait podinfo Failed\" failed: timed out waiting for podinfo Failed; Flux: Kustomization "
                    + "flux-system/podinfo is not Ready (BuildFailed): accumulating resources: missing.yaml; last observed:"
            ),
            "\(failure)"
        )
    }

    @Test func aFailedAssertionFailsTheScenarioWithItsMessage() async throws {
        let text = Fixtures.scenario(
            steps: Self.steps + """

                    - assert:
                        timeline: {canary: podinfo, finalPhase: Failed, maxFailedChecks: {atLeast: 5}}
                """
        )
        let result = await try runner(RecordingBackend(script: Self.promotion)).run(Fixtures.loaded(text))
        #expect(!result.passed)
        let failure = try #require(result.failure)
        #expect(failure.contains("timeline.finalPhase (podinfo.test): expected final phase Failed, observed Succeeded"))
        #expect(
            result.assertions.map(\.name) == [
                "timeline.finalPhase (podinfo.test)", "timeline.maxFailedChecks (podinfo.test)",
            ]
        )
        #expect(failure.contains("observed timeline of podinfo.test: 0.0s Initialized"))
        #expect(result.steps.last?.assertions.map(\.passed) == [false, false])
        #expect(result.expectedFinalPhase == "Failed")
    }

    /// Flagger posts an alert after writing the status a scenario waits for: an alert still on its way when the
    /// assertion runs counts once it arrives; one that never comes fails after the grace period.
    @Test func alertsInFlightAreWaitedForBriefly() async throws {
        let alert = ObservedAlert(
            t: 300,
            author: "podinfo.test",
            text: "Promotion completed! podinfo.test",
            color: "good"
        )
        let text = Fixtures.scenario(
            steps: Self.steps + """

                    - assert:
                        alerts: {canary: podinfo, received: [{message: "Promotion completed!"}]}
                """
        )
        let late = RecordingBackend(script: Self.promotion, alerts: [alert], alertsAfter: .milliseconds(700))
        let waited = await try runner(late).run(Fixtures.loaded(text))
        #expect(waited.passed, "\(waited.failure ?? "")")
        let never = await try runner(RecordingBackend(script: Self.promotion)).run(Fixtures.loaded(text))
        #expect(!never.passed)
        #expect(never.failure?.contains("(no alerts)") == true)
    }

    /// A backend that cannot see webhook calls says why; the assertion fails with that reason, never passes
    /// or fails on an empty list.
    @Test func webhooksOnABackendThatCannotSeeThemFailWithItsReason() async throws {
        let text = Fixtures.scenario(
            steps: Self.steps + """

                    - assert:
                        webhooks: {canary: podinfo, called: [{name: load-test, type: rollout}]}
                """
        )
        let backend = RecordingBackend(script: Self.promotion, webhooksUnavailable: "no record on this backend")
        let result = await try runner(backend).run(Fixtures.loaded(text))
        #expect(!result.passed)
        #expect(result.assertions.map(\.name) == ["webhooks"])
        #expect(result.failure?.contains("no record on this backend") == true)
    }

    @Test func theScenarioTimeoutStopsALongStepButFinallyStillRuns() async throws {
        let text = Fixtures.scenario(
            steps: "    - sleep: 10h\n    - sleep: 1s",
            extra: "  finally:\n    - fault: {component: nginx, action: restart}"
        )
        .replacingOccurrences(of: "timeout: 10h", with: "timeout: 1s")
        let backend = RecordingBackend(script: [])
        let started = ContinuousClock.Instant.now
        let result = await try runner(backend, slack: .milliseconds(1500)).run(Fixtures.loaded(text))
        #expect(ContinuousClock.Instant.now - started < .seconds(20))
        #expect(!result.passed)
        #expect(result.steps.map(\.status) == [.timedOut, .skipped, .passed])
        #expect(result.failure?.contains("the scenario's timeout (1s, 1.5s real) expired during this step") == true)
        #expect(backend.session("promote")?.calls.contains("fault restart nginx") == true)
    }

    @Test func anAssertWithATimeoutIsRetriedUntilItPasses() async throws {
        // Right after the commit the canary is not yet Succeeded; an assert with a timeout waits for it.
        let text = Fixtures.scenario(
            steps: """
                    - commit:
                        changes: [{file: apps/podinfo/deployment.yaml, image: {tag: 6.0.1}}]
                    - assert:
                        timeline: {canary: podinfo, finalPhase: Succeeded}
                      timeout: 10h
                    - assert:
                        timeline: {canary: podinfo, finalPhase: Failed}
                """
        )
        let result = await try runner(RecordingBackend(script: Self.promotion)).run(Fixtures.loaded(text))
        #expect(result.steps.map(\.status) == [.passed, .passed, .failed])
        #expect(result.steps[2].duration < 1, "an assert without a timeout is evaluated once")
    }

    @Test func scenariosRunInParallelUpToTheLimit() async throws {
        let scenarios = try ["a", "b", "c"].map { name in
            try Fixtures.loaded(Fixtures.scenario(name: name, steps: "    - sleep: 200s"), file: "\(name).yaml")
        }
        let backend = RecordingBackend(script: [])
        let run = await try runner(backend, parallel: 2).run(scenarios)
        #expect(run.scenarios.map(\.name) == ["a", "b", "c"])
        #expect(run.passed)
        #expect(backend.concurrency.withLock { $0.peak } == 2)
        #expect(run.backend == "recording")
    }

    @Test func aBackendThatCannotOpenASessionFailsTheScenario() async throws {
        let backend = RecordingBackend(script: [], openError: "nginx: address already in use")
        let result = await try runner(backend).run(Fixtures.loaded(Fixtures.scenario(steps: "    - sleep: 1s")))
        #expect(!result.passed)
        #expect(
            result.failure?.contains(
                "the recording backend could not start the scenario: nginx: address already in use"
            ) == true
        )
    }

    @Test func trafficWithADurationIsScaled() async throws {
        let text = Fixtures.scenario(
            steps: "    - traffic: {start: load, concurrency: 2, duration: 5m, path: /status/500}"
        )
        let backend = RecordingBackend(script: [])
        let result = await try runner(backend).run(Fixtures.loaded(text))
        #expect(result.passed)
        #expect(backend.session("promote")?.calls == ["start load app.example.com/status/500 duration=0.3 seconds"])
    }
}
