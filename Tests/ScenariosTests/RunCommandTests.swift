import Foundation
import TestSupport
import Testing

/// `rollout-e2e run` as users call it: it validates first, then checks the machine before anything starts.
struct RunCommandTests {
    static let root = ScenarioFilesTests.root

    /// With none of the tools the kind backend drives, `run --backend kind` exits 3 naming each with its pinned
    /// version and install command, and runs nothing.
    @Test func onKindWithoutItsToolsItExitsThreeNamingThem() throws {
        let empty = try temporaryDirectory(prefix: "empty-path")
        let result = try runCommand(
            BuiltProducts.executable("rollout-e2e"),
            [
                "run", "scenarios/promote.yaml", "--backend", "kind",
                "--work-dir", NSTemporaryDirectory() + "run-\(UUID().uuidString)",
            ],
            environment: ["PATH": empty],
            workingDirectory: Self.root
        )
        #expect(result.status == 3, "\(result.stderr)")
        for tool in ["docker", "kind v", "kubectl v", "flux v", "git"] {
            #expect(result.stderr.contains("  - \(tool)"), "missing \(tool) in: \(result.stderr)")
        }
        #expect(!result.stdout.contains("PASS"))
    }

    /// The local backend's processes are checked before any scenario starts: a missing one is exit 3 with the
    /// command that installs it, not a scenario failure.
    @Test func onLocalWithoutPrometheusItExitsThreeWithTheInstallCommand() throws {
        let empty = try temporaryDirectory(prefix: "empty-path")
        let result = try runCommand(
            BuiltProducts.executable("rollout-e2e"),
            [
                "run", "scenarios/promote.yaml",
                "--work-dir", NSTemporaryDirectory() + "run-\(UUID().uuidString)",
            ],
            environment: ["PATH": empty],
            workingDirectory: Self.root
        )
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("prometheus is not installed; install with: apt-get install -y prometheus"))
        #expect(!result.stdout.contains("PASS"))
    }

    @Test func onKindTheTimeScaleIsRefused() throws {
        let result = try runCommand(
            BuiltProducts.executable("rollout-e2e"),
            ["run", "scenarios/promote.yaml", "--backend", "kind", "--time-scale", "0.1"],
            workingDirectory: Self.root
        )
        #expect(result.status == 2)
        #expect(result.stderr.contains("--time-scale applies to the local backend only"))
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
