import Foundation
import TestSupport
import Testing

/// A harness that dies mid-analysis — `kill -9` from a CI timeout or the OOM killer, SIGHUP from a closed terminal —
/// takes its whole stack with it: nothing of the run (nginx and its workers, prometheus, redis-server, podinfo
/// replicas) is left a few seconds later, with nothing else run after it.
@Suite(.serialized, .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/cmdline")))
struct HardStopIntegrationTests {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test(arguments: [SIGKILL, SIGHUP])
    func aHarnessStoppedMidAnalysisLeavesNothingRunning(signal: Int32) throws {
        let directory = NSTemporaryDirectory() + "rollout-hardstop-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let harness = try BackgroundProcess(
            BuiltProducts.executable("rollout-e2e"),
            [
                "run", Self.root + "/scenarios/promote.yaml", "--backend", "local", "--time-scale", "0.05",
                "--work-dir", directory + "/work", "--report-dir", directory + "/reports",
            ]
        )
        let analysing = waitUntil(timeout: 90) { harness.output.contains("Progressing weight=") || !harness.isRunning }
        try #require(analysing && harness.isRunning, "the run never reached the analysis:\n\(harness.output)")
        let running = processes(under: directory, includingGuard: false)
        for component in ["nginx: master", "prometheus", "redis-server", "podinfo"] {
            #expect(running.contains { $0.contains(component) }, "\(component) was not running: \(running)")
        }

        kill(harness.pid, signal)
        harness.process.waitUntilExit()
        let cleared = waitUntil(timeout: 6) { processes(under: directory).isEmpty }
        #expect(
            cleared,
            "left running 6 s after \(signal == SIGKILL ? "SIGKILL" : "SIGHUP"): \(processes(under: directory))"
        )
    }
}
