import Logging
import ServiceLifecycle

/// The start of podinfo's `Shutdown.Graceful`, as a service the group shuts down first (it is last in the group's
/// list, and a `ServiceGroup` shuts its services down in reverse order, each after the one before has returned): when
/// the group's graceful shutdown begins (SIGTERM or SIGINT), both probes go 503 at once and the server keeps serving
/// for 3 s (none at `--level=debug`) so load balancers notice; when this returns, the group goes on to the HTTP
/// server, which stops accepting and lets in-flight requests finish. ``ShutdownDeadline`` bounds that.
struct ShutdownGrace: Service {
    let config: PodinfoConfig
    let state: ServerState
    let logger: Logger

    func run() async throws {
        // Returns when the group starts shutting down; throws when it is cancelled instead (nothing to drain then).
        try await gracefulShutdown()
        state.healthy = false
        state.ready = false
        logger.info(
            "Shutting down HTTP/HTTPS server",
            metadata: ["timeout": .stringConvertible(Int(config.serverShutdownTimeout.components.seconds))]
        )
        if !config.isDebugLevel {
            try await Task.sleep(for: .seconds(3))
        }
    }
}
