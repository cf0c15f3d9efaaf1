import Dispatch
import Foundation
import Synchronization

/// Turns SIGINT, SIGTERM and SIGHUP (a closed terminal) into an awaitable event, so `up` can stop everything it started before exiting. The
/// signals' default action is replaced while the watcher lives (children get default dispositions back at spawn).
public final class SignalWatcher: Sendable {
    private struct State {
        var received: Int32?
        var waiters: [CheckedContinuation<Int32, Never>] = []
    }

    private let state = Mutex(State())
    /// Dispatch sources are not `Sendable`; they are only touched here, once, and kept alive for the watcher's life.
    private nonisolated(unsafe) var sources: [any DispatchSourceSignal] = []

    public init(_ signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]) {
        var created: [any DispatchSourceSignal] = []
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            created.append(source)
        }
        sources = created
        for (source, number) in zip(sources, signals) {
            source.setEventHandler { [weak self] in self?.deliver(number) }
            source.resume()
        }
    }

    /// The first signal received, if any.
    public var received: Int32? { state.withLock { $0.received } }

    /// Waits for a signal (returns at once if one already arrived).
    public func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            let ready: Int32? = state.withLock { state in
                if let received = state.received { return received }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    private func deliver(_ number: Int32) {
        let waiters = state.withLock { state in
            if state.received == nil { state.received = number }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: number) }
    }
}
