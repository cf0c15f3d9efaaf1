import Foundation
import TestSupport
import Testing

/// `rollout-e2e run --backend local`, as `make e2e` runs it: the built binary on shipped scenarios, each on a whole
/// local stack of real processes, at a time scale that keeps the run short.
@Suite(.serialized) struct RunLocalIntegrationTests {
    /// The package root (for `scenarios/`).
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// A `--podinfo` that is not there is the environment's fault (exit 3), said before anything starts.
    @Test func aMissingPodinfoIsReportedBeforeAnythingStarts() throws {
        let directory = NSTemporaryDirectory() + "rollout-run-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try runCommand(
            BuiltProducts.executable("rollout-e2e"),
            [
                "run", Self.root + "/scenarios/promote.yaml", "--backend", "local", "--time-scale", "0.05",
                "--podinfo", directory + "/no-such-podinfo", "--work-dir", directory + "/work",
                "--report-dir", directory + "/reports",
            ],
            timeout: 30
        )
        #expect(result.status == 3, "stdout:\n\(result.stdout)\nstderr:\n\(result.stderr)")
        #expect(result.stderr.contains("no podinfo executable at \(directory)/no-such-podinfo (--podinfo)"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/work/sessions"))
    }

    @Test func promoteAndRollbackRunOnTheLocalBackendAndLeaveNothingRunning() throws {
        let directory = NSTemporaryDirectory() + "rollout-run-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let work = directory + "/work"
        let reports = directory + "/reports"
        let result = try runCommand(
            BuiltProducts.executable("rollout-e2e"),
            [
                "run", Self.root + "/scenarios/promote.yaml", Self.root + "/scenarios/rollback-500.yaml",
                "--backend", "local", "--parallel", "2", "--time-scale", "0.05",
                "--podinfo", try BuiltProducts.executable("podinfo"),
                "--work-dir", work, "--report-dir", reports,
            ],
            timeout: 120
        )
        let leftovers = processes(under: directory, includingGuard: false)
        #expect(leftovers.isEmpty, "processes left running: \(leftovers)")
        #expect(result.status == 0, "stdout:\n\(result.stdout)\nstderr:\n\(result.stderr)")

        let junit = try String(contentsOfFile: reports + "/junit.xml", encoding: .utf8)
        #expect(junit.contains("name=\"promote\""))
        #expect(junit.contains("name=\"rollback-500\""))
        #expect(!junit.contains("<failure"))
        let html = try String(contentsOfFile: reports + "/report.html", encoding: .utf8)
        #expect(html.contains("promote") && html.contains("rollback-500"))

        // The timelines are the canary's own history on the scenario clock, with what users saw.
        let promoted = try Self.timeline(reports + "/promote/podinfo.test.timeline.jsonl")
        #expect(promoted.contains { $0["phase"] as? String == "Succeeded" })
        #expect(promoted.contains { $0["canaryWeight"] as? Int == 50 })
        #expect(promoted.contains { $0["kind"] as? String == "traffic" && $0["version"] as? String == "6.0.1" })
        let rolledBack = try Self.timeline(reports + "/rollback-500/podinfo.test.timeline.jsonl")
        #expect(rolledBack.last { $0["phase"] != nil }?["phase"] as? String == "Failed")
        #expect(rolledBack.contains { ($0["failedChecks"] as? Int ?? 0) >= 5 })

        // The Canary's load-test webhook (`hey … http://ingress-nginx-controller.ingress-nginx/`) reached the ingress.
        let loadtester = try String(
            contentsOfFile: work + "/sessions/promote/logs/loadtester.log",
            encoding: .utf8
        )
        #expect(loadtester.contains("hey done") && loadtester.contains("statuses [200:"))
    }

    private static func timeline(_ path: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
    }
}
