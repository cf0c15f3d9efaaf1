import Foundation
import Scenarios
import TestSupport
import Testing

/// `--time-scale` changes nothing but the clock: the shipped scenarios at `make e2e`'s scale (0.02) and at 0.05 decide as they did
/// at Flagger's real pace (timelines of one full-speed run each, kept in `Tests/ScenariosTests/Fixtures/timescale-1.0`),
/// and `--compare-time-scale` runs a scenario at two scales and says so.
@Suite(.serialized) struct TimeScaleIntegrationTests {
    /// The package root (for `scenarios/` and the fixtures).
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let fullSpeedFixtures = root + "/Tests/ScenariosTests/Fixtures/timescale-1.0"

    @Test(arguments: ["0.02", "0.05"]) func scaledRunsDecideLikeTheFullSpeedRuns(scale: String) throws {
        let directory = NSTemporaryDirectory() + "rollout-timescale-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let reports = directory + "/reports"
        let scenarios = ["promote", "rollback-500", "step-weights"]
        let result = try runCommand(
            BuiltProducts.executable("rollout-e2e"),
            ["run"] + scenarios.map { Self.root + "/scenarios/\($0).yaml" } + [
                "--backend", "local", "--parallel", "3", "--time-scale", scale,
                "--work-dir", directory + "/work", "--report-dir", reports,
            ],
            timeout: 120
        )
        #expect(processes(under: directory, includingGuard: false).isEmpty)
        let comparison = try TimelineComparison.load(
            left: reports,
            leftLabel: scale,
            right: Self.fullSpeedFixtures,
            rightLabel: "1",
            scenarios: Set(scenarios)
        )
        #expect(comparison.entries.map(\.scenario) == scenarios)
        #expect(comparison.agrees, "\(comparison.render())\nstdout:\n\(result.stdout)")
        #expect(result.status == 0, "stdout:\n\(result.stdout)\nstderr:\n\(result.stderr)")
    }

    @Test func compareTimeScaleRunsAScenarioAtBothScalesAndReportsPerCanary() throws {
        let directory = NSTemporaryDirectory() + "rollout-compare-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let reports = directory + "/reports"
        let result = try runCommand(
            BuiltProducts.executable("rollout-e2e"),
            [
                "run", Self.root + "/scenarios/manual-rollback.yaml", "--backend", "local",
                "--time-scale", "0.05", "--compare-time-scale", "0.1",
                "--work-dir", directory + "/work", "--report-dir", reports,
            ],
            timeout: 180
        )
        #expect(processes(under: directory, includingGuard: false).isEmpty)
        #expect(result.status == 0, "stdout:\n\(result.stdout)\nstderr:\n\(result.stderr)")
        // One run per scale, each with its own reports, then the verdict per canary.
        #expect(result.stdout.contains("== time scale 0.05") && result.stdout.contains("== time scale 0.1"))
        for scale in ["0.05", "0.1"] {
            let timeline = "\(reports)/time-scale-\(scale)/manual-rollback/podinfo.test.timeline.jsonl"
            #expect(FileManager.default.fileExists(atPath: timeline), "no timeline at \(timeline)")
        }
        #expect(result.stdout.contains("decisions at time scale 0.05 vs 0.1 (phases, weights, max failedChecks):"))
        #expect(result.stdout.contains("✔ SAME  manual-rollback podinfo.test"))
        #expect(result.stdout.contains("1 canary(ies): 1 decided alike, 0 differ"))
    }

    @Test func compareTimeScaleRefusesItsOwnScaleAndTheKindBackend() throws {
        let same = try runCommand(
            BuiltProducts.executable("rollout-e2e"),
            ["run", Self.root + "/scenarios/promote.yaml", "--time-scale", "0.05", "--compare-time-scale", "0.05"]
        )
        #expect(same.status == 2)
        #expect(same.stderr.contains("--compare-time-scale 0.05 is the run's own --time-scale"), "\(same.stderr)")
        let kind = try runCommand(
            BuiltProducts.executable("rollout-e2e"),
            ["run", Self.root + "/scenarios/promote.yaml", "--backend", "kind", "--compare-time-scale", "0.5"]
        )
        #expect(kind.status == 2)
        #expect(kind.stderr.contains("--compare-time-scale runs the scenarios twice on the local backend"))
    }
}
