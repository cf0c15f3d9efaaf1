import Foundation
import HarnessServers
import Scenarios
import Synchronization

/// Runs scenarios on the Kind cluster `up` made (or the `--kubeconfig` cluster), one at a time: they share the
/// cluster's namespaces, ingress host and loadtester, so each session clears what the previous one left and owns
/// the cluster while it runs (``KindScenarioSession``).
///
/// Ctrl-C or SIGTERM closes the open session (its loads, receiver and port-forward; its objects are deleted) before
/// the harness exits (130). A session leaves the open ones when its close has finished, so a signal closes only
/// what is still open (and waits for a close under way) rather than deleting every earlier session's objects again.
public final class KindScenarioBackend: ScenarioBackend {
    public let name = "kind"
    let backend: KindBackend
    /// Where sessions keep their work trees: `<work dir>/kind/sessions/<scenario>`.
    let workDirectory: String
    /// The address the cluster's pods reach the host at (the Kind network's gateway); nil when unknown.
    let alertHost: HostAddress?
    private let open = Mutex<[String: KindScenarioSession]>([:])
    private let signals: SignalWatcher?

    public init(backend: KindBackend, workDirectory: String, alertHost: HostAddress?, stopOnSignals: Bool = true) {
        self.backend = backend
        self.workDirectory = workDirectory
        self.alertHost = alertHost
        signals = stopOnSignals ? SignalWatcher() : nil
        if let signals {
            Task { [weak self] in
                let number = await signals.wait()
                FileHandle.standardError.write(Data("interrupted; closing the open session\n".utf8))
                await self?.closeAll()
                exit(128 + number)
            }
        }
    }

    public func openSession(_ setup: SessionSetup) async throws -> any ScenarioSession {
        let session = try await KindScenarioSession.open(
            setup,
            backend: backend,
            workDirectory: workDirectory + "/sessions/" + KindScenarioSession.repositoryName(setup.scenario),
            alertHost: alertHost,
            onClose: { [weak self] closed in
                self?.open.withLock { open in
                    if open[closed.setup.scenario] === closed { open[closed.setup.scenario] = nil }
                }
            }
        )
        open.withLock { $0[setup.scenario] = session }
        return session
    }

    /// The scenarios whose sessions are open (opened and not yet closed).
    var openScenarios: [String] { open.withLock { $0.keys.sorted() } }

    /// Closes every session still open (on a signal).
    public func closeAll() async {
        let sessions = open.withLock { Array($0.values) }
        for session in sessions { await session.close() }
    }
}
