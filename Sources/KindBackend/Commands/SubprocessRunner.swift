import Foundation
import ProcessGuard
import Subprocess

/// The real ``CommandRunner``: swift-subprocess, each command in its own session so a timeout or a
/// cancellation stops the command and everything it started (swift-notes.md §2).
public struct SubprocessRunner: CommandRunner {
    /// Where tools are looked up; also the children's `PATH`.
    public var discovery: ToolDiscovery
    /// Variables set for every command on top of the inherited environment.
    public var environment: [String: String]
    /// Receives streamed output lines (kind, helm and flux report progress for minutes).
    public var log: @Sendable (String) -> Void

    /// How much output is kept from one command (`kubectl get -o json` of a namespace's events fits).
    public static let outputLimit = 32 << 20

    public init(
        discovery: ToolDiscovery = ToolDiscovery(),
        environment: [String: String] = [:],
        log: @escaping @Sendable (String) -> Void = { line in
            FileHandle.standardError.write(Data(("  │ " + line + "\n").utf8))
        }
    ) {
        self.discovery = discovery
        self.environment = environment
        self.log = log
    }

    public func run(_ command: Command, timeout: Duration, streaming: Bool) async throws -> CommandResult {
        guard discovery.locate(command.executable) != nil else {
            throw KindBackendError(.missingTools, "\(command.executable) is not on PATH (\(discovery.searchPath))")
        }
        let environment = childEnvironment(command)
        let options = Self.platformOptions
        let log = log
        let task: @Sendable () async throws -> CommandResult = {
            if streaming {
                let result = try await Subprocess.run(
                    .name(command.executable),
                    arguments: Arguments(command.arguments),
                    environment: environment,
                    platformOptions: options,
                    input: .string(command.input ?? ""),
                    output: .sequence,
                    error: .combinedWithOutput
                ) { execution in
                    // kind create, helm install --wait: minutes long; they die with the harness however it ends.
                    let group = execution.processIdentifier.value
                    ProcessGuard.shared.register(group)
                    defer { ProcessGuard.shared.unregister(group) }
                    var lines: [String] = []
                    for try await line in execution.standardOutput.strings() {
                        log(line)
                        lines.append(line)
                        // Keep the tail for error messages; the whole stream went to the log.
                        if lines.count > 4000 { lines.removeFirst(2000) }
                    }
                    return lines.joined(separator: "\n")
                }
                return CommandResult(status: Self.status(result.terminationStatus), output: result.closureResult)
            }
            let result = try await Subprocess.run(
                .name(command.executable),
                arguments: Arguments(command.arguments),
                environment: environment,
                platformOptions: options,
                input: .string(command.input ?? ""),
                output: .string(limit: Self.outputLimit),
                error: .string(limit: Self.outputLimit)
            )
            return CommandResult(
                status: Self.status(result.terminationStatus),
                output: result.standardOutput,
                errorOutput: result.standardError
            )
        }
        return try await Self.race(task, timeout: timeout, what: command.description)
    }

    public func withBackground<T: Sendable>(
        _ command: Command,
        body: @Sendable () async throws -> T
    ) async throws -> T {
        guard discovery.locate(command.executable) != nil else {
            throw KindBackendError(.missingTools, "\(command.executable) is not on PATH (\(discovery.searchPath))")
        }
        let log = log
        let result = try await Subprocess.run(
            .name(command.executable),
            arguments: Arguments(command.arguments),
            environment: childEnvironment(command),
            platformOptions: Self.platformOptions,
            input: .none,
            output: .sequence,
            error: .combinedWithOutput
        ) { execution in
            // A port-forward runs for a whole scenario: it dies with the harness however the harness ends.
            let group = execution.processIdentifier.value
            ProcessGuard.shared.register(group)
            defer { ProcessGuard.shared.unregister(group) }
            // Drain the child's output so it never blocks on a full pipe (swift-notes.md §2).
            let drain = Task {
                for try await line in execution.standardOutput.strings() { log(line) }
            }
            defer { drain.cancel() }
            do {
                let value = try await body()
                await execution.teardown(using: [.gracefulShutDown(allowedDurationToNextStep: .seconds(2))])
                return value
            } catch {
                await execution.teardown(using: [.gracefulShutDown(allowedDurationToNextStep: .seconds(2))])
                throw error
            }
        }
        return result.closureResult
    }

    private func childEnvironment(_ command: Command) -> Environment {
        var updates: [Environment.Key: String?] = ["PATH": discovery.searchPath]
        for (key, value) in environment.merging(command.environment, uniquingKeysWith: { $1 }) {
            updates[Environment.Key(stringLiteral: key)] = value
        }
        return .inherit.updating(updates)
    }

    /// A new session, so teardown signals the whole process group and never the harness (swift-notes.md §2).
    private static var platformOptions: PlatformOptions {
        var options = PlatformOptions()
        options.createSession = true
        options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: .seconds(5))]
        return options
    }

    private static func status(_ status: TerminationStatus) -> Int32 {
        switch status {
        case .exited(let code): Int32(code)
        case .signaled(let signal): 128 + Int32(signal)
        }
    }

    /// swift-subprocess has no timeout: race the run against a sleep and cancel the loser, which tears the
    /// child down (swift-notes.md §2).
    static func race(
        _ task: @escaping @Sendable () async throws -> CommandResult,
        timeout: Duration,
        what: String
    ) async throws -> CommandResult {
        try await withThrowingTaskGroup(of: CommandResult?.self) { group in
            group.addTask { try await task() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let result = first else {
                throw KindBackendError(.timedOut, "timed out after \(timeout.formattedSeconds): \(what)")
            }
            return result
        }
    }
}

extension Duration {
    /// `90s`, `5m`, `1m30s`: the form kubectl, helm and kind take for timeouts.
    public var formattedSeconds: String {
        let total = Int(components.seconds)
        if total >= 60, total % 60 == 0 { return "\(total / 60)m" }
        if total > 60 { return "\(total / 60)m\(total % 60)s" }
        return "\(total)s"
    }
}
