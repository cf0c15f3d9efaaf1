import Foundation
import HarnessServers
import Scenarios
import Synchronization

/// Runs scenarios on the local backend (DESIGN.md §1, §7): every session is a whole ``LocalStack`` of its own —
/// nginx, Prometheus, Redis, podinfo replicas, the controllers and a fresh Git repository — in
/// `<work dir>/sessions/<scenario>`, so scenarios that use the same namespaces, hosts and canary names run side by side
/// without seeing each other.
///
/// Ctrl-C or SIGTERM while scenarios run stops every open session's processes before the harness exits (130), so an
/// interrupted `run` leaves nothing behind.
public final class LocalScenarioBackend: ScenarioBackend {
    public let name = "local"
    /// The run's work directory; sessions live under its `sessions/`.
    let workDirectory: String
    /// The `podinfo` executable; nil finds it next to `rollout-e2e`.
    let podinfoPath: String?
    private let open = Mutex<[String: LocalScenarioSession]>([:])
    private let signals: SignalWatcher?

    public init(workDirectory: String, podinfoPath: String? = nil, stopOnSignals: Bool = true) {
        self.workDirectory = workDirectory
        self.podinfoPath = podinfoPath
        signals = stopOnSignals ? SignalWatcher() : nil
        if let signals {
            Task { [weak self] in
                let number = await signals.wait()
                FileHandle.standardError.write(Data("interrupted; stopping every session\n".utf8))
                await self?.closeAll()
                exit(128 + number)
            }
        }
    }

    public func openSession(_ setup: SessionSetup) async throws -> any ScenarioSession {
        let directory = WorkArea(path: workDirectory).session(setup.scenario).path
        let session = try await LocalScenarioSession.open(setup, workDirectory: directory, podinfoPath: podinfoPath)
        // Kept after close (closing twice is harmless) so a signal can never miss a session that is still stopping.
        open.withLock { $0[setup.scenario] = session }
        return session
    }

    /// Stops every session still open (on a signal).
    public func closeAll() async {
        let sessions = open.withLock { Array($0.values) }
        await withTaskGroup(of: Void.self) { group in
            for session in sessions { group.addTask { await session.close() } }
        }
    }
}
