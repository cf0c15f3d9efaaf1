import Dispatch
import Foundation
import Synchronization

/// The canary engine asks for webhook and metric results synchronously, in Flagger's order, while our HTTP client is
/// async. A tick therefore runs on a dedicated thread (never the cooperative pool), which waits here for each call.
enum BlockingBridge {
    /// Runs `operation` as a task and blocks the calling (non-cooperative) thread until it finishes.
    static func wait<T: Sendable>(_ operation: @escaping @Sendable () async -> T) -> T {
        let result = Mutex<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let value = await operation()
            result.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        return result.withLock { $0 }!
    }

    /// Runs `body` on a new thread and returns its result without blocking the caller's executor.
    static func onThread<T: Sendable>(_ name: String, _ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.name = name
            thread.start()
        }
    }
}
