import Synchronization

/// The ``CommandRunner`` of `--dry-run` plans: nothing touches a cluster, a registry or Docker. Each command is
/// recorded; `git` runs for real (in the plan's scratch work tree, so commits, branches and merges hold what they
/// would hold, and the artifacts the plan pushes can be checked); reads are answered with `<placeholders>` for what
/// only a run would know.
public final class PlanningCommandRunner: CommandRunner {
    private let local: any CommandRunner
    private let calls = Mutex<[RecordingCommandRunner.Call]>([])

    /// The revision `git rev-parse HEAD` is reported as in the plan.
    public static let revision = "<commit>"

    public init(local: any CommandRunner = SubprocessRunner(log: { _ in })) {
        self.local = local
    }

    /// Every command so far, in order (background ones included).
    public var recorded: [RecordingCommandRunner.Call] { calls.withLock { $0 } }

    public func run(_ command: Command, timeout: Duration, streaming: Bool) async throws -> CommandResult {
        calls.withLock { $0.append(.init(command: command, timeout: timeout, background: false)) }
        switch command.executable {
        case "git":
            if command.arguments.suffix(2) == ["rev-parse", "HEAD"] {
                return CommandResult(output: Self.revision + "\n")
            }
            return try await local.run(command, timeout: timeout, streaming: false)
        case "kubectl":
            // `fault kill` reads the Deployment's selector; the plan names it.
            if let template = command.arguments.first(where: { $0.hasPrefix("--output=go-template=") }),
                template.contains("matchLabels"),
                let target = command.arguments.first(where: { $0.hasPrefix("deployment/") })
            {
                return CommandResult(output: "<selector of \(target)>")
            }
            // A fault on one replica lists the Deployment's pods by name; the plan names them by position.
            if command.arguments.contains("--output=jsonpath={.items[*].metadata.name}") {
                return CommandResult(output: (0..<4).map { "<pod-\($0)>" }.joined(separator: " "))
            }
            return CommandResult()
        default:
            return CommandResult()
        }
    }

    public func withBackground<T: Sendable>(
        _ command: Command,
        body: @Sendable () async throws -> T
    ) async throws -> T {
        calls.withLock { $0.append(.init(command: command, timeout: .zero, background: true)) }
        return try await body()
    }
}
