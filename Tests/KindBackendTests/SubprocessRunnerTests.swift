import Foundation
import KindBackend
import Synchronization
import Testing

@Suite("The real command runner (swift-subprocess)")
struct SubprocessRunnerTests {
    @Test("the real runner kills a command at its timeout and reports what timed out")
    func runnerTimeout() async throws {
        let sh = try #require(ToolDiscovery(searchPath: "/bin:/usr/bin").locate("sh"))
        let runner = SubprocessRunner(discovery: ToolDiscovery(searchPath: "/bin:/usr/bin"))
        let started = ContinuousClock.now
        let error = await #expect(throws: KindBackendError.self) {
            _ = try await runner.run(Command("sh", ["-c", "sleep 30"]), timeout: .milliseconds(300), streaming: false)
        }
        #expect(error?.code == .timedOut)
        #expect(error?.message.contains("sleep 30") == true)
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(!sh.isEmpty)
    }

    @Test("the real runner captures output, exit status and streamed lines")
    func runnerOutput() async throws {
        let lines = LineSink()
        let runner = SubprocessRunner(discovery: ToolDiscovery(searchPath: "/bin:/usr/bin"), log: { lines.append($0) })
        let plain = try await runner.run(
            Command("sh", ["-c", "cat; echo oops >&2; exit 3"], input: "hello"),
            timeout: .seconds(10),
            streaming: false
        )
        #expect(plain.status == 3)
        #expect(plain.output == "hello")
        #expect(plain.errorOutput == "oops\n")
        let streamed = try await runner.run(
            Command("sh", ["-c", "echo one; echo two >&2"]),
            timeout: .seconds(10),
            streaming: true
        )
        #expect(streamed.succeeded)
        #expect(lines.lines == ["one", "two"])
    }

    @Test("a background command runs while the body runs and is stopped afterwards")
    func background() async throws {
        let runner = SubprocessRunner(discovery: ToolDiscovery(searchPath: "/bin:/usr/bin"), log: { _ in })
        let marker = try temporaryDirectory("bg") + "/started"
        let started = ContinuousClock.now
        let seen = try await runner.withBackground(
            Command("sh", ["-c", "touch \(marker); exec sleep 30"])
        ) {
            // The child is running: wait for its marker, with a deadline.
            let deadline = ContinuousClock.now + .seconds(10)
            while !FileManager.default.fileExists(atPath: marker), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            return FileManager.default.fileExists(atPath: marker)
        }
        #expect(seen)
        #expect(ContinuousClock.now - started < .seconds(15), "the background sleep was not stopped")
    }

    @Test("a tool that is not on the search path is a missing-tool error")
    func notOnPath() async throws {
        let runner = SubprocessRunner(discovery: ToolDiscovery(searchPath: try temporaryDirectory("none")))
        let error = await #expect(throws: KindBackendError.self) {
            _ = try await runner.run(Command("kind", ["version"]), timeout: .seconds(5), streaming: false)
        }
        #expect(error?.code == .missingTools)
    }
}

/// Collects streamed lines across threads.
final class LineSink: Sendable {
    private let storage = Mutex<[String]>([])
    func append(_ line: String) { storage.withLock { $0.append(line) } }
    var lines: [String] { storage.withLock { $0 } }
}
