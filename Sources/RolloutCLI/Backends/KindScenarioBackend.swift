import Foundation
import KindBackend
import LocalBackend
import Scenarios
import Synchronization

/// Runs scenarios on the Kind cluster `up` made (or the `--kubeconfig` cluster), one at a time: they share the
/// cluster's namespaces, ingress host and loadtester, so each session clears what the previous one left and owns
/// the cluster while it runs (``KindScenarioSession``).
///
/// Ctrl-C or SIGTERM closes the open session (its loads, receiver and port-forward; its objects are deleted) before
/// the harness exits (130).
final class KindScenarioBackend: ScenarioBackend {
    let name = "kind"
    let backend: KindBackend
    /// Where sessions keep their work trees: `<work dir>/kind/sessions/<scenario>`.
    let workDirectory: String
    /// The address the cluster's pods reach the host at (the Kind network's gateway); nil when unknown.
    let alertHost: String?
    private let open = Mutex<[String: KindScenarioSession]>([:])
    private let signals = SignalWatcher()

    init(backend: KindBackend, workDirectory: String, alertHost: String?) {
        self.backend = backend
        self.workDirectory = workDirectory
        self.alertHost = alertHost
        let signals = signals
        Task { [weak self] in
            let number = await signals.wait()
            FileHandle.standardError.write(Data("interrupted; closing the open session\n".utf8))
            let sessions = self?.open.withLock { Array($0.values) } ?? []
            for session in sessions { await session.close() }
            exit(128 + number)
        }
    }

    func openSession(_ setup: SessionSetup) async throws -> any ScenarioSession {
        let session = try await KindScenarioSession.open(
            setup,
            backend: backend,
            workDirectory: workDirectory + "/sessions/" + KindScenarioSession.repositoryName(setup.scenario),
            alertHost: alertHost
        )
        open.withLock { $0[setup.scenario] = session }
        return session
    }
}
