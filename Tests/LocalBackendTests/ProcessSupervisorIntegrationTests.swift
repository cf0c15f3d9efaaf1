import Foundation
import LocalBackend
import Synchronization
import TestSupport
import Testing

/// Children run in their own process group, are stopped with everything they forked, restarted when they should
/// be, and cleaned up from pid files after the harness died.
@Suite struct ProcessSupervisorIntegrationTests {
    /// Live (non-zombie) processes whose process group is `group`.
    static func processes(inGroup group: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 3 && fields[0] != "Z" && Int32(fields[2]) == group
        }
    }

    private func spec(_ name: String, _ fixture: Fixture, restart: Bool = false) -> ProcessSpec {
        ProcessSpec(
            name: name,
            executable: "/bin/sh",
            arguments: ["-c", "sleep 300 & sleep 300"],
            environment: ["PATH": "/usr/bin:/bin"],
            logPath: fixture.workDirectory.log(name),
            restartOnExit: restart,
            gracePeriod: .seconds(2)
        )
    }

    @Test func stopEndsTheChildAndEverythingItForked() async throws {
        try await Fixture.run { fixture in
            let pid = try await fixture.supervisor.start(spec("forker", fixture))
            #expect(waitUntil(timeout: 5) { Self.processes(inGroup: pid).count == 3 })
            #expect(FileManager.default.fileExists(atPath: fixture.workDirectory.pids + "/forker.pid"))
            await fixture.supervisor.stop("forker")
            #expect(Self.processes(inGroup: pid).isEmpty)
            #expect(!FileManager.default.fileExists(atPath: fixture.workDirectory.pids + "/forker.pid"))
        }
    }

    @Test func aKilledChildIsRestarted() async throws {
        try await Fixture.run { fixture in
            let first = try await fixture.supervisor.start(spec("replica", fixture, restart: true))
            await fixture.supervisor.signal("replica", SIGKILL)
            let deadline = ContinuousClock.now + .seconds(5)
            var second: Int32?
            while ContinuousClock.now < deadline {
                if let pid = await fixture.supervisor.pid(of: "replica"), pid != first {
                    second = pid
                    break
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(second != nil)
            #expect(await fixture.supervisor.restartCount(of: "replica") == 1)
            await fixture.supervisor.stopAll()
            #expect(Self.processes(inGroup: first).isEmpty)
            #expect(second.map { Self.processes(inGroup: $0).isEmpty } ?? true)
        }
    }

    @Test func stalePidFilesFromADeadRunAreCleanedUp() async throws {
        try await Fixture.run { fixture in
            // A run that died without stopping its child: only its pid file is left to find it by.
            let orphan = ProcessSupervisor(pidDirectory: fixture.workDirectory.pids)
            let pid = try await orphan.start(spec("orphan", fixture))
            #expect(StaleProcesses.isAlive(pid))
            let stopped = StaleProcesses.clean(pidDirectory: fixture.workDirectory.pids, grace: .seconds(2))
            #expect(stopped.count == 1)
            #expect(waitUntil(timeout: 5) { Self.processes(inGroup: pid).isEmpty })
        }
    }

    @Test func aStaleWorkDirectoryIsCleanedButAForeignDirectoryIsNotTouched() throws {
        let foreign = NSTemporaryDirectory() + "not-a-workdir-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: foreign, withIntermediateDirectories: true)
        try "keep".write(toFile: foreign + "/precious.txt", atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: foreign) }
        #expect(throws: LocalBackendError(.workDirectory, "")) { try WorkDirectory(path: foreign).claim() }
        #expect(FileManager.default.fileExists(atPath: foreign + "/precious.txt"))

        let stale = WorkDirectory(path: NSTemporaryDirectory() + "stale-\(UUID().uuidString.prefix(8))")
        try stale.claim()
        defer { stale.cleanStale() }
        try "999999\n".write(toFile: stale.path + "/harness.pid", atomically: true, encoding: .utf8)
        try "old".write(toFile: stale.logs + "/old.log", atomically: true, encoding: .utf8)
        let cleaned = try stale.claim()
        #expect(cleaned.contains { $0.contains("removed stale work directory") })
        #expect(!FileManager.default.fileExists(atPath: stale.logs + "/old.log"))
        let attributes = try FileManager.default.attributesOfItem(atPath: stale.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o700)
    }

    @Test func aLiveOwnerKeepsTheWorkDirectory() throws {
        let directory = WorkDirectory(path: NSTemporaryDirectory() + "owned-\(UUID().uuidString.prefix(8))")
        try directory.claim()
        defer { directory.cleanStale() }
        // pid 1 is alive and not us.
        try "1\n".write(toFile: directory.path + "/harness.pid", atomically: true, encoding: .utf8)
        #expect(throws: LocalBackendError(.busy, "")) { try directory.claim() }
    }

    /// Pids are reused (Linux wraps at 32768, threads included): a harness.pid left by a killed run must not make a
    /// later process, or a thread of one, the directory's owner.
    @Test func aReusedPidIsNotTakenForTheOwner() throws {
        let directory = WorkDirectory(path: NSTemporaryDirectory() + "reused-\(UUID().uuidString.prefix(8))")
        try directory.claim()
        defer { directory.cleanStale() }
        #expect(directory.ownerPID == getpid())
        // pid 1 is alive, but it is not the process that started at the recorded time.
        try "1\n\n1\n".write(toFile: directory.path + "/harness.pid", atomically: true, encoding: .utf8)
        #expect(StaleProcesses.startTime(1) != "1")
        #expect(directory.ownerPID == nil)
        #expect(try directory.claim().contains { $0.contains("removed stale work directory") })
        #expect(directory.ownerPID == getpid())
    }

    #if os(Linux)
        @Test func aThreadIdIsNotAProcess() throws {
            let thread = Mutex<pid_t>(0)
            let done = Mutex(false)
            let worker = Thread {
                // /proc/thread-self is "<pid>/task/<tid>" (Glibc's gettid is not imported into Swift).
                let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")) ?? ""
                thread.withLock { $0 = pid_t(own.split(separator: "/").last ?? "") ?? -1 }
                while !done.withLock({ $0 }) { usleep(10_000) }
            }
            worker.start()
            defer { done.withLock { $0 = true } }
            #expect(waitUntil(timeout: 5) { thread.withLock { $0 } != 0 })
            let tid = thread.withLock { $0 }
            #expect(tid != getpid())
            #expect(kill(tid, 0) == 0, "a thread id answers kill(2)")
            #expect(!StaleProcesses.isAlive(tid))
            #expect(StaleProcesses.isAlive(getpid()))
        }
    #endif

    /// A child's pid file records its start time: a process that got the pid later is left alone.
    @Test func staleCleanupStopsOnlyTheRecordedProcess() throws {
        let pids = NSTemporaryDirectory() + "pids-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: pids, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: pids) }
        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
        sleeper.arguments = ["30"]
        try sleeper.run()
        defer { if sleeper.isRunning { sleeper.terminate() } }
        let pid = sleeper.processIdentifier
        let executable = URL(fileURLWithPath: "/bin/sleep").resolvingSymlinksInPath().path

        try "\(pid)\n\(executable)\n1\n".write(toFile: pids + "/other.pid", atomically: true, encoding: .utf8)
        #expect(StaleProcesses.clean(pidDirectory: pids, grace: .milliseconds(200)).isEmpty)
        #expect(sleeper.isRunning)

        try StaleProcesses.recordText(pid, executable: executable)
            .write(toFile: pids + "/sleeper.pid", atomically: true, encoding: .utf8)
        #expect(StaleProcesses.clean(pidDirectory: pids, grace: .seconds(2)) == ["sleeper (pid \(pid))"])
        sleeper.waitUntilExit()
        #expect(!sleeper.isRunning)
    }
}
