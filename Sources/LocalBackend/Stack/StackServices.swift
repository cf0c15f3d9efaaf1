import Foundation
import ServiceLifecycle

/// The parts of a ``LocalStack`` that are not controllers, as services of its one `ServiceGroup`, so that the group's
/// graceful shutdown (in reverse order of the group's list) is the whole stop sequence.
enum StackServices {
    /// An in-process server (the ingress metrics exporter, loadtester, alert receiver): started and listening before
    /// the group runs, closed at the group's graceful shutdown.
    struct InProcessServer: ServiceLifecycle.Service {
        let name: String
        let close: @Sendable () async -> Void

        func run() async throws {
            try? await gracefulShutdown()
            await close()
        }
    }

    /// The child processes (nginx, Prometheus, Redis, the podinfo replicas): at the group's graceful shutdown each
    /// gets SIGTERM, then SIGKILL after its grace period, and is reaped.
    struct ChildProcesses: ServiceLifecycle.Service {
        let supervisor: ProcessSupervisor

        func run() async throws {
            try? await gracefulShutdown()
            await supervisor.stopAll()
        }
    }

    /// Writes `rollout-e2e status`'s view of the stack to the work directory every half second.
    struct StateWriter: ServiceLifecycle.Service {
        let stack: LocalStack

        func run() async throws {
            await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    await stack.writeState()
                    try? await Task.sleep(for: .milliseconds(500))
                }
            }
        }
    }
}
