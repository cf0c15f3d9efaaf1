import CurlHTTP
import Foundation
import LocalBackend
import TestSupport
import Testing

/// `rollout-e2e up|down|status --backend local` as a user runs them: the stack comes up and serves podinfo through
/// the ingress, and every way of stopping it leaves no process and no listening port behind.
@Suite(.serialized) struct LocalCommandsIntegrationTests {
    /// A running `rollout-e2e up` in its own temp work directory.
    final class Up: @unchecked Sendable {
        let process: BackgroundProcess
        let workDir: String
        let binary: String

        init(timeScale: Double = 0.1, workDir: String? = nil) throws {
            binary = try BuiltProducts.executable("rollout-e2e")
            self.workDir = workDir ?? NSTemporaryDirectory() + "rollout-up-\(UUID().uuidString.prefix(8))"
            process = try BackgroundProcess(
                binary,
                ["up", "--backend", "local", "--work-dir", self.workDir, "--time-scale", String(timeScale)]
            )
        }

        /// The ingress URL once `up` printed it.
        func waitForIngress(timeout: TimeInterval = 60) throws -> String {
            var url: String?
            _ = waitUntil(timeout: timeout) {
                url = process.output.split(separator: "\n").first { $0.hasPrefix("ingress:") }
                    .map { $0.dropFirst("ingress:".count).trimmingCharacters(in: .whitespaces) }
                return url != nil || !process.isRunning
            }
            guard let url else { throw TestSupportError("up never printed the ingress:\n\(process.output)") }
            return url
        }

        /// pids the supervisor recorded and ports from the state file (what must be gone afterwards).
        func children() -> (pids: [Int32], ports: [Int]) {
            let pidDirectory = workDir + "/stack/pids"
            let files = (try? FileManager.default.contentsOfDirectory(atPath: pidDirectory)) ?? []
            let pids = files.compactMap { file -> Int32? in
                let text = try? String(contentsOfFile: pidDirectory + "/" + file, encoding: .utf8)
                return text?.split(separator: "\n").first.flatMap { Int32($0) }
            }
            var ports: [Int] = []
            if let text = try? String(contentsOfFile: workDir + "/stack/state.json", encoding: .utf8),
                let regex = try? NSRegularExpression(pattern: #"127\.0\.0\.1:([0-9]+)"#)
            {
                for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    if let range = Range(match.range(at: 1), in: text), let port = Int(text[range]) {
                        ports.append(port)
                    }
                }
            }
            return (pids, ports)
        }

        func cleanUp() {
            process.stop(signal: SIGKILL)
            _ = try? runCommand(binary, ["down", "--backend", "local", "--work-dir", workDir], timeout: 60)
            try? FileManager.default.removeItem(atPath: workDir)
        }
    }

    private func expectNothingLeft(_ children: (pids: [Int32], ports: [Int]), workDir: String) {
        let stragglers = Fixture.processes(mentioning: workDir)
        #expect(stragglers.isEmpty, "processes of \(workDir) still running: \(stragglers)")
        #expect(!children.pids.isEmpty)
        #expect(!children.ports.isEmpty)
        let alive = children.pids.filter { StaleProcesses.isAlive($0) }
        #expect(alive.isEmpty, "still running: \(alive)")
        let listening = children.ports.filter { isListening(port: $0) }
        #expect(listening.isEmpty, "still listening: \(listening)")
    }

    /// Until the state file `status` reads lists podinfo's Deployment (it is rewritten every 0.5 s, and its first
    /// version can predate the Deployments).
    private func waitForState(_ up: Up) -> Bool {
        waitUntil(timeout: 10) {
            let state = FileManager.default.contents(atPath: up.workDir + "/stack/state.json") ?? Data()
            return String(decoding: state, as: UTF8.self).contains("\"podinfo\"")
        }
    }

    @Test func upServesPodinfoThroughTheIngressAndDownStopsEverything() async throws {
        let up = try Up()
        defer { up.cleanUp() }
        let ingress = try up.waitForIngress()
        #expect(up.process.output.contains("local stack up in"))
        let response = try await HTTPClient.shared.get(ingress + "/", host: "app.example.com")
        #expect(response.status == 200)
        #expect(response.text.contains("\"version\""))
        #expect(response.text.contains(DefaultApp.version))
        #expect(waitForState(up))

        let status = try runCommand(up.binary, ["status", "--backend", "local", "--work-dir", up.workDir])
        #expect(status.status == 0)
        #expect(status.stdout.contains("nginx"))
        #expect(status.stdout.contains("test/podinfo"))

        let children = up.children()
        let down = try runCommand(up.binary, ["down", "--backend", "local", "--work-dir", up.workDir], timeout: 60)
        #expect(down.status == 0, "\(down.stderr)")
        #expect(waitUntil(timeout: 10) { !up.process.isRunning })
        expectNothingLeft(children, workDir: up.workDir)
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalToUpStopsEverything(signal: Int32) async throws {
        let up = try Up()
        defer { up.cleanUp() }
        _ = try up.waitForIngress()
        #expect(waitForState(up))
        let children = up.children()
        kill(up.process.pid, signal)
        #expect(waitUntil(timeout: 30) { !up.process.isRunning })
        #expect(up.process.process.terminationStatus == 0, "\(up.process.output)")
        expectNothingLeft(children, workDir: up.workDir)
    }

    @Test func ctrlCWhileUpIsStartingStopsEverythingItStarted() async throws {
        let up = try Up()
        defer { up.cleanUp() }
        // Interrupt as soon as the first child runs, in the middle of bringing the stack up.
        #expect(
            waitUntil(timeout: 30) {
                ((try? FileManager.default.contentsOfDirectory(atPath: up.workDir + "/stack/pids")) ?? []).count >= 1
            }
        )
        kill(up.process.pid, SIGINT)
        #expect(waitUntil(timeout: 30) { !up.process.isRunning })
        #expect(up.process.process.terminationStatus == 0, "\(up.process.output)")
        #expect(waitUntil(timeout: 5) { Fixture.processes(mentioning: up.workDir).isEmpty })
        #expect(Fixture.processes(mentioning: up.workDir).isEmpty)
    }

    @Test func kill9OfUpTakesItsChildrenWithIt() async throws {
        let first = try Up()
        defer { first.cleanUp() }
        _ = try first.waitForIngress()
        #expect(waitForState(first))
        let children = first.children()
        first.process.stop(signal: SIGKILL)
        #expect(waitUntil(timeout: 6) { children.pids.allSatisfy { !StaleProcesses.isAlive($0) } })
        expectNothingLeft(children, workDir: first.workDir)

        let second = try Up(workDir: first.workDir)
        defer { second.cleanUp() }
        let ingress = try second.waitForIngress()
        let response = try await HTTPClient.shared.get(ingress + "/", host: "app.example.com")
        #expect(response.status == 200)
        kill(second.process.pid, SIGTERM)
        #expect(waitUntil(timeout: 30) { !second.process.isRunning })
    }

    /// When the guard cannot act (killed together with the harness), the pid files are the fallback: `status` says
    /// the stack is stale, and the next `up` or `down` stops what it left.
    @Test func childrenLeftByAHarnessAndItsGuardAreReportedStaleAndCleaned() async throws {
        let first = try Up()
        defer { first.cleanUp() }
        _ = try first.waitForIngress()
        #expect(waitForState(first))
        let stale = first.children()
        let guards = processGuards(of: first.process.pid)
        try #require(!guards.isEmpty, "no process guard runs for the harness \(first.process.pid)")
        for pid in guards { kill(pid, SIGKILL) }
        first.process.stop(signal: SIGKILL)
        #expect(stale.pids.contains { StaleProcesses.isAlive($0) })

        let status = try runCommand(first.binary, ["status", "--backend", "local", "--work-dir", first.workDir])
        #expect(status.stdout.contains("local stack: stale"), "\(status.stdout)")
        #expect(status.stdout.contains("nginx (pid"), "\(status.stdout)")

        let second = try Up(workDir: first.workDir)
        defer { second.cleanUp() }
        let ingress = try second.waitForIngress()
        let alive = stale.pids.filter { StaleProcesses.isAlive($0) }
        #expect(alive.isEmpty, "stale children still running: \(alive)")
        let response = try await HTTPClient.shared.get(ingress + "/", host: "app.example.com")
        #expect(response.status == 200)
        kill(second.process.pid, SIGTERM)
        #expect(waitUntil(timeout: 30) { !second.process.isRunning })
    }

    /// The README's order: `make e2e` (a `run` in the default work directory), then `rollout-e2e up` there.
    @Test func upAfterARunInTheSameWorkDirectoryComesUp() async throws {
        let workDir = NSTemporaryDirectory() + "rollout-mixed-\(UUID().uuidString.prefix(8))"
        let binary = try BuiltProducts.executable("rollout-e2e")
        let run = try runCommand(
            binary,
            [
                "run", Self.root + "/scenarios/manual-rollback.yaml", "--backend", "local", "--time-scale", "0.05",
                "--work-dir", workDir,
            ],
            timeout: 120
        )
        // What matters here is what the run leaves behind, not the scenario's verdict (make e2e judges that): the
        // run finished its scenario (0 passed, 1 failed), rather than stopping on a usage or set-up error.
        #expect([0, 1].contains(run.status), "\(run.stdout)\n\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: workDir + "/reports/junit.xml"))

        let up = try Up(workDir: workDir)
        defer { up.cleanUp() }
        let ingress = try up.waitForIngress()
        let response = try await HTTPClient.shared.get(ingress + "/", host: "app.example.com")
        #expect(response.status == 200)
        let status = try runCommand(binary, ["status", "--backend", "local", "--work-dir", workDir])
        #expect(status.stdout.contains("local stack: up"), "\(status.stdout)")
        #expect(status.stdout.contains("session manual-rollback") && status.stdout.contains("stopped"))
        // The run's reports are still there for the user.
        #expect(FileManager.default.fileExists(atPath: workDir + "/reports/junit.xml"))
    }

    /// `down` stops a `run` in progress: the harness stops its sessions and nothing of them is left.
    @Test func downStopsTheSessionsOfARunningRun() async throws {
        let workDir = NSTemporaryDirectory() + "rollout-down-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: workDir) }
        let binary = try BuiltProducts.executable("rollout-e2e")
        let run = try BackgroundProcess(
            binary,
            [
                "run", Self.root + "/scenarios/promote.yaml", Self.root + "/scenarios/rollback-500.yaml",
                "--backend", "local", "--parallel", "2", "--time-scale", "0.05", "--work-dir", workDir,
            ]
        )
        defer { run.stop(signal: SIGKILL) }
        let analysing = waitUntil(timeout: 90) { run.output.contains("Progressing weight=") || !run.isRunning }
        try #require(analysing && run.isRunning, "the run never reached the analysis:\n\(run.output)")
        #expect(!Fixture.processes(mentioning: workDir).isEmpty)

        let status = try runCommand(binary, ["status", "--backend", "local", "--work-dir", workDir])
        #expect(status.stdout.contains("session promote"), "\(status.stdout)")
        #expect(status.stdout.contains("running (harness pid \(run.pid))"), "\(status.stdout)")

        let down = try runCommand(binary, ["down", "--backend", "local", "--work-dir", workDir], timeout: 60)
        #expect(down.status == 0, "\(down.stderr)")
        #expect(
            down.stdout.contains("session promote: stopped") && down.stdout.contains("session rollback-500: stopped")
        )
        #expect(waitUntil(timeout: 10) { !run.isRunning })
        #expect(waitUntil(timeout: 6) { Fixture.processes(mentioning: workDir).isEmpty })
        #expect(Fixture.processes(mentioning: workDir).isEmpty)
    }

    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test func aMissingBinaryIsReportedWithItsInstallCommandBeforeAnythingStarts() throws {
        let binary = try BuiltProducts.executable("rollout-e2e")
        let workDir = NSTemporaryDirectory() + "rollout-missing-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: workDir) }
        // A PATH without nginx, prometheus or redis-server (kubectl and git live in /usr/bin too, so use an empty dir).
        let emptyDirectory = NSTemporaryDirectory() + "empty-path-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: emptyDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: emptyDirectory) }
        let result = try runCommand(
            binary,
            ["up", "--backend", "local", "--work-dir", workDir],
            environment: ["PATH": emptyDirectory],
            timeout: 30
        )
        #expect(result.status == 3)
        #expect(result.stderr.contains("apt-get install -y prometheus"))
        #expect(result.stderr.contains("apt-get install -y redis-server"))
        #expect(!FileManager.default.fileExists(atPath: workDir + "/stack/pids"))
    }
}
