/// Polls `condition` every 10 ms, without blocking a thread, until it holds or `timeout` passes;
/// returns whether it held.
func eventually(timeout: Duration, _ condition: () -> Bool) async throws -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if condition() { return true }
        try await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}
