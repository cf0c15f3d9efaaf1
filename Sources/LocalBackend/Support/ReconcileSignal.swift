import Synchronization

/// The wake-up of a controller's reconcile loop: the "something changed" half of an informer + work queue, the
/// resync timer being the other half. ``signal()`` marks work as pending; ``wait(atMost:)`` returns at once when work
/// is pending, else on the next signal, when the resync interval has passed, or when the task is cancelled.
///
/// Signals coalesce: many changes while the loop is busy make one more pass, as a work queue folds repeated keys.
/// One loop waits on a signal at a time.
final class ReconcileSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: (id: Int, continuation: CheckedContinuation<Void, Never>)?
        var nextID = 0
    }

    private let state = Mutex(State())

    init() {}

    /// Wakes the loop (or makes its next wait return at once).
    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }

    /// Returns when signalled, after `interval` (the resync), or when cancelled — whichever comes first.
    func wait(atMost interval: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: interval) }
            group.addTask { await self.nextSignal() }
            await group.next()
            group.cancelAll()
        }
    }

    /// Returns on the next signal (at once if one is pending) or when the task is cancelled.
    private func nextSignal() async {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.pending {
                        state.pending = false
                        return true
                    }
                    if Task.isCancelled { return true }
                    state.waiter = (id, continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard let waiter = state.waiter, waiter.id == id else { return nil }
                state.waiter = nil
                return waiter.continuation
            }
            waiter?.resume()
        }
    }
}
