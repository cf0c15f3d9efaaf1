/// Runs commands for the kind backend. The real one uses swift-subprocess; tests record what would run.
///
/// A non-zero exit status is a result, not an error; errors are a missing executable or a timeout.
public protocol CommandRunner: Sendable {
    /// Runs `command` to completion, killing it (and its process group) after `timeout`.
    /// With `streaming`, output is also passed on line by line as it arrives (kind, helm and flux report
    /// progress for minutes).
    func run(_ command: Command, timeout: Duration, streaming: Bool) async throws -> CommandResult

    /// Starts `command` (for example `kubectl port-forward`), runs `body` while it runs, then stops it.
    func withBackground<T: Sendable>(
        _ command: Command,
        body: @Sendable () async throws -> T
    ) async throws -> T
}
