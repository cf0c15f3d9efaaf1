import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// The end of podinfo's `Shutdown.Graceful` and its second-signal rule, as a service the group shuts down last (first
/// in the group's list). It watches SIGTERM and SIGINT beside the group, which starts the graceful shutdown on the
/// first of them (``ShutdownGrace``): from that first signal, draining has `--server-shutdown-timeout` (Go's context
/// deadline starts at the signal); past it the process logs `HTTP server graceful shutdown failed` and exits 0 with
/// requests still in flight, as podinfo's `main` returns once `httpServer.Shutdown(ctx)` gives up. A second signal
/// exits 1 at once. When every other service has stopped in time, the group shuts this one down and the deadline
/// is dropped.
struct ShutdownDeadline: Service {
    let timeout: Duration
    let logger: Logger

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { tasks in
                var received = 0
                for await _ in signals {
                    received += 1
                    guard received == 1 else { exit(1) }
                    let deadline = ContinuousClock.now + timeout
                    tasks.addTask {
                        do {
                            try await Task.sleep(until: deadline, clock: .continuous)
                        } catch {
                            return  // every service stopped before the deadline
                        }
                        logger.warning(
                            "HTTP server graceful shutdown failed",
                            metadata: ["error": "context deadline exceeded"]
                        )
                        exit(0)
                    }
                }
            }
        }
    }
}
