import Synchronization

/// A ``CommandRunner`` that runs nothing: it records each command and answers from a responder.
///
/// Tests use it to check the exact commands of a plan or step; `--dry-run` never needs it (it prints the plan).
public final class RecordingCommandRunner: CommandRunner {
    /// One recorded call.
    public struct Call: Sendable, Hashable {
        public var command: Command
        public var timeout: Duration
        /// Whether the command ran in the background around other commands.
        public var background: Bool
    }

    private let calls = Mutex<[Call]>([])
    private let responder: @Sendable (Command) -> CommandResult

    /// `responder` answers each command; the default answers every command with success and no output.
    public init(responder: @escaping @Sendable (Command) -> CommandResult = { _ in CommandResult() }) {
        self.responder = responder
    }

    /// Every call so far, in order.
    public var recorded: [Call] { calls.withLock { $0 } }

    /// Every command so far, in order.
    public var commands: [Command] { recorded.map(\.command) }

    public func run(_ command: Command, timeout: Duration, streaming: Bool) async throws -> CommandResult {
        calls.withLock { $0.append(Call(command: command, timeout: timeout, background: false)) }
        return responder(command)
    }

    public func withBackground<T: Sendable>(
        _ command: Command,
        body: @Sendable () async throws -> T
    ) async throws -> T {
        calls.withLock { $0.append(Call(command: command, timeout: .zero, background: true)) }
        return try await body()
    }
}
