import ArgumentParser
import Foundation

/// The `rollout-e2e` command tree (DESIGN.md §4).
public struct RolloutCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "rollout-e2e",
        abstract: "End-to-end tests for progressive delivery: Flagger canaries on Kind or on a local stack.",
        discussion: """
            Exit status: 0 all passed; 1 a scenario failed; 2 bad input or usage; 3 the environment is missing \
            something (a binary, Docker), with a message that says how to install it.
            """,
        subcommands: [
            UpCommand.self, DownCommand.self, StatusCommand.self, ValidateCommand.self, AnalyzeCommand.self,
            RunCommand.self,
        ]
    )

    public init() {}

    /// Runs the command line with the harness's exit codes: argument-parser's usage errors (64) become 2.
    public static func runMain(arguments: [String]? = nil) async -> Never {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Foundation.exit(0)
        } catch let error as CLIError {
            FileHandle.standardError.write(Data(("rollout-e2e: " + error.message + "\n").utf8))
            Foundation.exit(error.exitCode)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if !message.isEmpty {
                let stream = code == .success ? FileHandle.standardOutput : FileHandle.standardError
                stream.write(Data((message + "\n").utf8))
            }
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}
