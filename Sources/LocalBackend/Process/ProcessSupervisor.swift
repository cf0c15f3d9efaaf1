import Foundation

/// Owns every long-running child of a run: starts each in its own process group, records a pid file so a later run
/// can clean up after a `kill -9` of the harness, restarts children that should be restarted, and stops them with
/// SIGTERM, then SIGKILL after a grace period. Every child is reaped.
public actor ProcessSupervisor {
    /// Something that happened to a child.
    public enum Event: Sendable {
        case started(name: String, pid: Int32)
        case exited(name: String, pid: Int32, status: ExitStatus, willRestart: Bool)
    }

    private enum State { case running, backingOff, exited, stopping }

    private struct Entry {
        var spec: ProcessSpec
        var pid: pid_t
        var state: State
        var restarts = 0
        var startedAt = ContinuousClock.now
        var lastExit: ExitStatus?
        var backoff: Duration = .milliseconds(200)
    }

    private let pidDirectory: String
    private var entries: [String: Entry] = [:]
    private var observers: [@Sendable (Event) -> Void] = []

    /// - Parameter pidDirectory: where `<name>.pid` files go (created if missing).
    public init(pidDirectory: String) {
        self.pidDirectory = pidDirectory
        try? FileManager.default.createDirectory(atPath: pidDirectory, withIntermediateDirectories: true)
    }

    /// Calls `observer` for every start and exit, from the supervisor's executor.
    public func observe(_ observer: @escaping @Sendable (Event) -> Void) {
        observers.append(observer)
    }

    /// Starts `spec`; throws if a child of that name is already supervised or the spawn fails.
    @discardableResult
    public func start(_ spec: ProcessSpec) throws -> Int32 {
        if let existing = entries[spec.name], existing.state != .exited {
            throw LocalBackendError(.spawn, "\(spec.name) is already running (pid \(existing.pid))")
        }
        let pid = try launch(spec)
        entries[spec.name] = Entry(spec: spec, pid: pid, state: .running)
        return pid
    }

    /// The pid of a running child.
    public func pid(of name: String) -> Int32? {
        guard let entry = entries[name], entry.state == .running else { return nil }
        return entry.pid
    }

    public func isRunning(_ name: String) -> Bool { entries[name]?.state == .running }

    /// How often the child was restarted after exiting on its own.
    public func restartCount(of name: String) -> Int { entries[name]?.restarts ?? 0 }

    /// The names of the children that are running now.
    public var runningNames: [String] { entries.filter { $0.value.state == .running }.map(\.key).sorted() }

    /// Sends `signal` to the child's process group without marking it stopped: a fault (`kill -9` of a replica), so
    /// the restart policy applies.
    public func signal(_ name: String, _ signal: Int32) {
        guard let entry = entries[name], entry.state == .running else { return }
        kill(-entry.pid, signal)
    }

    /// Stops one child: SIGTERM to its group, SIGKILL after its grace period; returns once it is reaped.
    public func stop(_ name: String) async {
        guard var entry = entries[name] else { return }
        switch entry.state {
        case .exited:
            entries[name] = nil
            return
        case .backingOff:
            entries[name] = nil
            removePIDFile(name)
            return
        case .running, .stopping:
            entry.state = .stopping
            entries[name] = entry
        }
        kill(-entry.pid, SIGTERM)
        if await !waitForExit(name, pid: entry.pid, within: entry.spec.gracePeriod) {
            kill(-entry.pid, SIGKILL)
            _ = await waitForExit(name, pid: entry.pid, within: .seconds(10))
        }
        // Anything the child forked into its group and left behind goes too.
        kill(-entry.pid, SIGKILL)
        entries[name] = nil
    }

    /// Stops every child at once (SIGTERM to all, then SIGKILL to stragglers) and waits until all are reaped.
    public func stopAll() async {
        await withTaskGroup(of: Void.self) { group in
            for name in entries.keys {
                group.addTask { await self.stop(name) }
            }
        }
    }

    // MARK: Internals

    private func launch(_ spec: ProcessSpec) throws -> pid_t {
        let pid = try ChildSpawner.spawn(
            executable: spec.executable,
            arguments: spec.arguments,
            environment: spec.environment,
            logPath: spec.logPath
        )
        writePIDFile(spec, pid: pid)
        ChildSpawner.reap(pid) { status in
            Task { await self.childExited(spec.name, pid: pid, status: status) }
        }
        notify(.started(name: spec.name, pid: pid))
        return pid
    }

    private func childExited(_ name: String, pid: pid_t, status: ExitStatus) {
        guard var entry = entries[name], entry.pid == pid else { return }
        entry.lastExit = status
        let willRestart = entry.state == .running && entry.spec.restartOnExit
        if willRestart {
            // Crash-loop back-off as the kubelet does it, scaled down: 0.2 s doubling to 5 s, reset after 10 s up.
            if entry.startedAt.duration(to: .now) > .seconds(10) { entry.backoff = .milliseconds(200) }
            entry.state = .backingOff
            let delay = entry.backoff
            entry.backoff = min(entry.backoff * 2, .seconds(5))
            entries[name] = entry
            Task {
                try? await Task.sleep(for: delay)
                self.restart(name)
            }
        } else {
            entry.state = .exited
            entries[name] = entry
            removePIDFile(name)
        }
        notify(.exited(name: name, pid: pid, status: status, willRestart: willRestart))
    }

    private func restart(_ name: String) {
        guard var entry = entries[name], entry.state == .backingOff else { return }
        do {
            entry.pid = try launch(entry.spec)
            entry.state = .running
            entry.restarts += 1
            entry.startedAt = .now
        } catch {
            entry.state = .exited
            removePIDFile(name)
        }
        entries[name] = entry
    }

    private func waitForExit(_ name: String, pid: pid_t, within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            guard let entry = entries[name], entry.pid == pid, entry.state != .exited else { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    private func notify(_ event: Event) {
        for observer in observers { observer(event) }
    }

    private func pidFile(_ name: String) -> String { pidDirectory + "/" + name + ".pid" }

    private func writePIDFile(_ spec: ProcessSpec, pid: pid_t) {
        let text = StaleProcesses.recordText(pid, executable: spec.executable)
        try? text.write(toFile: pidFile(spec.name), atomically: true, encoding: .utf8)
    }

    private func removePIDFile(_ name: String) {
        try? FileManager.default.removeItem(atPath: pidFile(name))
    }
}

/// Polls `condition` every `interval` until it holds. When the child `name` stops running, or `timeout` passes,
/// first, throws a start-up error: `failure`, then the tail of the child's log. How a started child is awaited until
/// it does what it is for (Prometheus ready and scraping, nginx serving a config version).
func waitUntil(
    _ condition: () async -> Bool,
    whileRunning name: String,
    on supervisor: ProcessSupervisor,
    timeout: Duration,
    every interval: Duration,
    failure: @autoclosure () -> String,
    logPath: String,
    isolation: isolated (any Actor)? = #isolation
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return }
        if await !supervisor.isRunning(name) { break }
        try await Task.sleep(for: interval)
    }
    let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    throw LocalBackendError(.startup, "\(failure()): \(log.suffix(2000))")
}
