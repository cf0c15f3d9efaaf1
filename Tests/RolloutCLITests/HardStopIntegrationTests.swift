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

    /// How the harness is stopped: one signal to its pid, or SIGKILL to every process whose command line names the
    /// run, as `pkill -9 -f 'rollout-e2e run …'` does (the process guard must not be among them).
    enum Stop: CustomStringConvertible, Sendable {
        case signal(Int32)
        case killByCommandLine

        var description: String {
            switch self {
            case .signal(SIGKILL): "SIGKILL"
            case .signal(SIGHUP): "SIGHUP"
            case .signal(let number): "signal \(number)"
            case .killByCommandLine: "pkill -9 -f"
            }
        }
    }

    @Test(arguments: [Stop.signal(SIGKILL), .signal(SIGHUP), .killByCommandLine])
    func aHarnessStoppedMidAnalysisLeavesNothingRunning(stop: Stop) throws {
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

        switch stop {
        case .signal(let signal):
            kill(harness.pid, signal)
        case .killByCommandLine:
            // Only the harness names the report directory on its command line (its children name the work directory).
            let marker = directory + "/reports"
            let matched = processes(under: marker).compactMap { Int32($0.prefix { $0 != " " }) }
            #expect(matched == [harness.pid], "pkill -f would match \(processes(under: marker))")
            for pid in matched { kill(pid, SIGKILL) }
        }
        harness.process.waitUntilExit()
        let cleared = waitUntil(timeout: 6) {
            processes(under: directory).isEmpty && processGuards(of: harness.pid).isEmpty
        }
        #expect(
            cleared,
            "left running 6 s after \(stop): \(processes(under: directory)), guard \(processGuards(of: harness.pid))"
        )
    }
}
