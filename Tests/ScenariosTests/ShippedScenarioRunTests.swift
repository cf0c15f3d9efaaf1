import Foundation
import ObjectModel
import Scenarios
import Testing
import YAML

/// The shipped scenarios run against scripted timelines shaped like Flagger's: a correct rollout passes, and a
/// canary engine that ignores failed checks makes `rollback-500` fail with the assertion and the timeline.
struct ShippedScenarioRunTests {
    static func primary(_ tag: String) throws -> Node {
        let yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: podinfo-primary, namespace: test}
            spec:
              template:
                spec:
                  containers:
                    - name: podinfod
                      image: ghcr.io/stefanprodan/podinfo:\(tag)
            """
        return try #require(try YAMLParser.parse(yaml, file: "primary.yaml").first?.node)
    }

    /// 20 responses per scenario-second bucket for each run, from `version`, every 20 scenario seconds.
    static func traffic(_ runs: [(String, String)], until end: Double) -> [NamedTrafficSample] {
        stride(from: 0.0, to: end, by: 20).flatMap { t in
            runs.map { run, version in
                NamedTrafficSample(
                    run: run,
                    sample: TrafficSample(t: t, status: 200, version: version, latencyMs: 3, count: 20)
                )
            }
        }
    }

    /// Flagger rolling back after 5 failed checks (interval 1m), in scenario seconds after the commit.
    static let rollback = Fixtures.timeline([
        (60, "Progressing", 0, 0), (120, "Progressing", 10, 0), (180, "Progressing", 10, 1),
        (240, "Progressing", 10, 2), (300, "Progressing", 10, 3), (360, "Progressing", 10, 4),
        (420, "Progressing", 10, 5), (480, "Failed", 0, 0),
    ])

    /// A canary engine that ignores failed checks: it steps up and promotes.
    static let promotion = Fixtures.timeline([
        (60, "Progressing", 0, 0), (120, "Progressing", 10, 0), (180, "Progressing", 20, 0),
        (240, "Progressing", 30, 0), (300, "Progressing", 40, 0), (360, "Progressing", 50, 0),
        (420, "Promoting", 50, 0), (480, "Finalising", 0, 0), (540, "Succeeded", 0, 0),
    ])

    private func run(_ name: String, _ backend: RecordingBackend) async throws -> ScenarioResult {
        let (loaded, diagnostics) = ScenarioLoader.load(path: ScenarioFilesTests.root + "/scenarios/\(name).yaml")
        let scenario = try #require(loaded, "\(diagnostics)")
        let options = RunnerOptions(
            timeScale: 0.001,
            reportDirectory: NSTemporaryDirectory() + "shipped-\(UUID().uuidString)",
            // Generous: no wait here is meant to time out, and a loaded machine must not fail them.
            timeoutSlack: .seconds(30),
            pollInterval: .milliseconds(10),
            // The synthetic traffic below comes in buckets of 20 scenario seconds.
            trafficBucket: .milliseconds(20)
        )
        let runner = ScenarioRunner(
            backend: backend,
            options: options,
            progress: ProgressReporter(live: false) { _ in }
        )
        return await runner.run(scenario)
    }

    @Test func rollback500PassesOnACorrectRollback() async throws {
        let backend = RecordingBackend(
            script: Self.rollback,
            traffic: Self.traffic([("users", "6.0.0"), ("after", "6.0.0")], until: 2000),
            objects: ["Deployment/podinfo-primary": try Self.primary("6.0.0")]
        )
        let result = try await run("rollback-500", backend)
        #expect(result.passed, "\(result.failure ?? "")")
        #expect(result.outcomes.map(\.outcome) == ["rolled back"])
        let calls = try #require(backend.session("rollback-500")?.calls)
        #expect(calls.first == "apply GitRepository,Kustomization in test")
        #expect(calls.contains("start errors app.example.com/status/500 duration=none"))
        #expect(calls.contains("commit main podinfo: release 6.0.1"))
    }

    @Test func rollback500FailsWhenTheEngineIgnoresFailedChecks() async throws {
        let backend = RecordingBackend(
            script: Self.promotion,
            traffic: Self.traffic([("users", "6.0.0"), ("after", "6.0.1")], until: 2000),
            objects: ["Deployment/podinfo-primary": try Self.primary("6.0.1")]
        )
        let result = try await run("rollback-500", backend)
        #expect(!result.passed)
        let failure = try #require(result.failure)
        #expect(
            failure.hasPrefix(
                "step 7 \"rolled back after 5 failed checks; the primary was never touched\" failed: "
                    + "timeline.finalPhase (podinfo.test): expected final phase Failed, observed Succeeded"
            ),
            "\(failure)"
        )
        #expect(failure.contains("observed timeline of podinfo.test: 0.0s Initialized w0/0 fc0 → "))
        #expect(failure.contains("Progressing w50/50 fc0 → "))
        #expect(failure.hasSuffix("Succeeded w0/0 fc0"))
        let failed = result.assertions.filter { !$0.passed }.map(\.name)
        #expect(failed.contains("timeline.maxFailedChecks (podinfo.test)"))
        #expect(failed.contains("object Deployment/podinfo-primary (test)"))
        // The rest of the scenario was skipped, finally still stopped the loads, and the summary says so.
        #expect(result.steps.suffix(2).map(\.status) == [.passed, .passed])
        #expect(
            TerminalSummary.render(RunResult(scenarios: [result], wallTime: 1, backend: "recording", timeScale: 0.001))
                .contains("podinfo.test promoted (expected Failed)")
        )
    }

    @Test func promotePassesOnACorrectPromotion() async throws {
        let backend = RecordingBackend(
            script: Self.promotion,
            trafficFromTimeline: { timeline in
                // Users get 6.0.1 in proportion to the router weight in force; after the promotion everyone does.
                Self.traffic(
                    [("users", "6.0.0"), ("users", "6.0.1"), ("after", "6.0.1")],
                    until: (timeline.last?.t ?? 0) + 2000
                ).compactMap {
                    named in
                    var sample = named
                    if named.run == "users" {
                        let weight = Double(
                            TimelineFacts.observation(at: named.sample.t, in: timeline)?.routerWeight ?? 0
                        )
                        let share = named.sample.version == "6.0.1" ? weight / 100 : 1 - weight / 100
                        sample.sample.count = Int((40 * share).rounded())
                    }
                    return sample.sample.count > 0 ? sample : nil
                }
            },
            objects: ["Deployment/podinfo-primary": try Self.primary("6.0.1")]
        )
        let result = try await run("promote", backend)
        #expect(result.passed, "\(result.failure ?? "")")
        let share = try #require(result.assertions.first { $0.name.hasPrefix("traffic.canaryShare") })
        #expect(share.message.contains("weight 10: 10.0% of 80, weight 20: 20.0% of 80"), "\(share.message)")
        #expect(result.outcomes.map(\.outcome) == ["promoted"])
    }
}
