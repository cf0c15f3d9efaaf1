internal import CLibcurl
import Synchronization

/// A `CURLM` pointer that may cross threads. Only `curl_multi_wakeup` is called from other threads
/// (libcurl documents it as thread-safe); everything else happens on the owning thread.
struct MultiPointer: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
}

/// The only way other threads talk to a thread that runs a curl multi loop: messages go into a
/// mutex-protected queue, then the loop is woken (by default `curl_multi_wakeup`, which interrupts
/// `curl_multi_poll`; a loop that polls its own sockets passes its own `wakeUp`).
///
/// The owning thread calls ``close()`` before `curl_multi_cleanup` (and before closing whatever
/// `wakeUp` writes to), after which posting fails and nothing touches either any more.
final class CurlMailbox<Message: Sendable>: Sendable {
    private struct State {
        var messages: [Message] = []
        var closed = false
    }

    let multi: MultiPointer
    private let wakeUp: @Sendable () -> Void
    private let state = Mutex(State())

    init(multi: MultiPointer, wakeUp: (@Sendable () -> Void)? = nil) {
        self.multi = multi
        self.wakeUp = wakeUp ?? { curl_multi_wakeup(multi.raw) }
    }

    /// Queues `message` and wakes the loop; returns false when the loop has already closed.
    @discardableResult
    func post(_ message: Message) -> Bool {
        state.withLock { state in
            guard !state.closed else { return false }
            state.messages.append(message)
            wakeUp()
            return true
        }
    }

    /// Wakes the loop without a message (e.g. after a flag changed); a no-op once closed.
    func wake() {
        state.withLock { state in
            if !state.closed { wakeUp() }
        }
    }

    /// The messages queued since the last call (owning thread).
    func take() -> [Message] {
        state.withLock { state in
            let messages = state.messages
            state.messages.removeAll(keepingCapacity: true)
            return messages
        }
    }

    /// Refuses further messages and returns those not yet taken (owning thread, before cleanup).
    func close() -> [Message] {
        state.withLock { state in
            state.closed = true
            let messages = state.messages
            state.messages = []
            return messages
        }
    }
}
