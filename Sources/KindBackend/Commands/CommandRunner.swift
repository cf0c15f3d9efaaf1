/// How a command finished.
public struct CommandResult: Sendable, Hashable {
    /// The exit status; a process killed by a signal reports 128 + the signal, as shells do.
    public var status: Int32
    public var output: String
    public var errorOutput: String

    public init(status: Int32 = 0, output: String = "", errorOutput: String = "") {
        self.status = status
        self.output = output
        self.errorOutput = errorOutput
    }

    public var succeeded: Bool { status == 0 }

    /// The last lines of both streams, for error messages.
    public func tail(lines: Int = 12) -> String {
        let text = [output, errorOutput].filter { !$0.isEmpty }.joined(separator: "\n")
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}

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
