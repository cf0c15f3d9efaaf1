/// A step or scenario that ran out of time.
struct DeadlineExceeded: Error {
    var limit: Duration
}

/// A step that failed, with the message the report shows and the assertions it evaluated.
struct StepFailure: Error {
    var message: String
    var assertions: [AssertionResult] = []
}

/// Runs `operation`, cancelling it and throwing ``DeadlineExceeded`` when it takes longer than `limit`.
/// The operation must honour cancellation for the deadline to bite.
func withDeadline<T: Sendable>(
    _ limit: Duration,
    _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw DeadlineExceeded(limit: limit)
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw DeadlineExceeded(limit: limit) }
        return first
    }
}

extension Duration {
    /// Seconds as a Double.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }

    /// `12.5s`.
    var shortDescription: String { "\((seconds * 10).rounded() / 10)s" }
}
