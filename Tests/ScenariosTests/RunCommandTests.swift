import Foundation
import TestSupport
import Testing

/// `rollout-e2e run` as users call it, before a backend is wired: it validates, then refuses to pretend.
struct RunCommandTests {
    static let root = ScenarioFilesTests.root

    /// The kind backend does not run scenarios yet (the local one is being wired): `run` must say so, not pass.
    @Test func withoutABackendItValidatesThenFailsClearly() throws {
        let result = try runCommand(
            BuiltProducts.executable("rollout-e2e"),
            [
                "run", "scenarios/promote.yaml", "--backend", "kind",
                "--work-dir", NSTemporaryDirectory() + "run-\(UUID().uuidString)",
            ],
            workingDirectory: Self.root
        )
        #expect(result.status == 1)
        #expect(result.stderr.contains("the kind backend is not wired to the scenario runner yet"))
        #expect(!result.stdout.contains("PASS"))
    }

    @Test func aBrokenScenarioIsBadInputWithItsMark() throws {
        let dir = try Fixtures.directory(
            Fixtures.gitContent.merging([
                "bad.yaml": Fixtures.scenario(steps: "    - wait: {canary: podnfo, phase: Succeeded}")
            ]) { $1 }
        )
        let result = try runCommand(
            BuiltProducts.executable("rollout-e2e"),
            ["run", "bad.yaml"],
            workingDirectory: dir
        )
        #expect(result.status == 2)
        #expect(result.stderr.contains("bad.yaml:13:22: error: unknown canary 'podnfo' (did you mean 'podinfo'?)"))
        #expect(result.stderr.contains("1 error(s) in the scenario files; nothing was run"))
    }

    @Test func aManifestIsNotAScenario() throws {
        let result = try runCommand(
            BuiltProducts.executable("rollout-e2e"),
            ["run", "scenarios/gitops/apps/base/podinfo/canary.yaml"],
            workingDirectory: Self.root
        )
        #expect(result.status == 2)
        #expect(result.stderr.contains("not a scenario"))
    }

    @Test func validateRoutesScenariosToTheScenarioValidator() throws {
        let dir = try Fixtures.directory(
            Fixtures.gitContent.merging(["s.yaml": Fixtures.scenario(steps: "    - sleep: 10 seconds")]) { $1 }
        )
        let result = try runCommand(
            BuiltProducts.executable("rollout-e2e"),
            ["validate", "s.yaml"],
            workingDirectory: dir
        )
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("s.yaml:13:14: error: spec.steps[0].sleep: invalid duration"))
    }
}
