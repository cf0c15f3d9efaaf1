import Dispatch
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// podinfo's `Shutdown.Graceful`: on the first SIGTERM/SIGINT both probes go 503 at once, the server keeps serving for
/// 3 s (skipped at `--level=debug`) so load balancers notice, then stops accepting and lets in-flight requests finish
/// until `--server-shutdown-timeout` after the signal; the process then exits 0. A second signal exits 1 at once.
///
/// `@unchecked Sendable`: the signal sources are assigned once, before any signal can arrive.
final class GracefulShutdown: @unchecked Sendable {
    private let config: PodinfoConfig
    private let state: ServerState
    private let group: ServiceGroup
    private let logger: Logger
    private let signalCount = Atomic<Int>(0)
    private var sources: [any DispatchSourceSignal] = []

    init(config: PodinfoConfig, state: ServerState, group: ServiceGroup, logger: Logger) {
        self.config = config
        self.state = state
        self.group = group
        self.logger = logger
    }

    func installSignalHandlers() {
        let queue = DispatchQueue(label: "podinfo.signals")
        var installed: [any DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { [self] in received() }
            source.resume()
            installed.append(source)
        }
        sources = installed
    }

    private func received() {
        let count = signalCount.add(1, ordering: .relaxed).newValue
        guard count == 1 else { exit(1) }
        Task { await begin() }
    }

    private func begin() async {
        let deadline = ContinuousClock.now + config.serverShutdownTimeout
        state.healthy = false
        state.ready = false
        logger.info(
            "Shutting down HTTP/HTTPS server",
            metadata: ["timeout": .stringConvertible(Int(config.serverShutdownTimeout.components.seconds))]
        )
        if !config.isDebugLevel {
            try? await Task.sleep(for: .seconds(3))
        }
        // Draining is bounded by the deadline that started at the signal (Go's ctx with timeout).
        Task.detached { [logger] in
            try? await Task.sleep(until: max(deadline, ContinuousClock.now), clock: .continuous)
            logger.warning("HTTP server graceful shutdown failed", metadata: ["error": "context deadline exceeded"])
            exit(0)
        }
        await group.triggerGracefulShutdown()
    }
}
