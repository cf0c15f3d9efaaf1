import Testing

@testable import LocalBackend

/// A controller's loop wakes on a change, on its resync timer, or when the stack stops — never later.
@Suite struct ReconcileSignalTests {
    @Test func aSignalGivenWhileTheLoopWasBusyWakesItsNextWaitAtOnce() async {
        let signal = ReconcileSignal()
        signal.signal()
        signal.signal()  // coalesced with the first
        let clock = ContinuousClock()
        let first = await clock.measure { await signal.wait(atMost: .seconds(30)) }
        #expect(first < .seconds(25), "woke by its 30 s resync, not the pending signal")
        // Both signals were folded into that one wake-up: the next wait runs to its resync interval.
        let second = await clock.measure { await signal.wait(atMost: .milliseconds(200)) }
        #expect(second >= .milliseconds(200))
    }

    @Test func aSignalWakesAWaitingLoop() async {
        let signal = ReconcileSignal()
        let clock = ContinuousClock()
        async let woken: Duration = clock.measure { await signal.wait(atMost: .seconds(30)) }
        try? await Task.sleep(for: .milliseconds(100))
        signal.signal()
        #expect(await woken < .seconds(25))
    }

    @Test func cancellingTheLoopEndsItsWait() async {
        let signal = ReconcileSignal()
        let clock = ContinuousClock()
        let waiting = Task { await clock.measure { await signal.wait(atMost: .seconds(30)) } }
        try? await Task.sleep(for: .milliseconds(100))
        waiting.cancel()
        #expect(await waiting.value < .seconds(25))
    }
}
