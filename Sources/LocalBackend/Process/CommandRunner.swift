import Foundation
import Synchronization

/// The outcome of a short command (git, kubectl kustomize).
public struct CommandOutput: Sendable {
    public var status: ExitStatus
    public var stdout: String
    public var stderr: String

    public var succeeded: Bool { status == .exited(0) }
}

/// Runs short helper commands to completion with a deadline. Output goes through files rather than pipes, so a
/// chatty command can never block on a full pipe and no reader thread is needed.
public struct CommandRunner: Sendable {
    /// Where the output files go while a command runs.
    public var scratchDirectory: String
    public var environment: [String: String]

    public init(scratchDirectory: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.scratchDirectory = scratchDirectory
        self.environment = environment
    }

    /// Runs `executable` with `arguments`; on timeout the whole process group is killed and the call throws.
    public func run(
        _ executable: String,
        _ arguments: [String],
        environment extra: [String: String] = [:],
        timeout: Duration = .seconds(60)
    ) async throws -> CommandOutput {
        try FileManager.default.createDirectory(atPath: scratchDirectory, withIntermediateDirectories: true)
        let id = UUID().uuidString.prefix(8)
        let outPath = "\(scratchDirectory)/cmd-\(id).out"
        let errPath = "\(scratchDirectory)/cmd-\(id).err"
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        let pid = try ChildSpawner.spawn(
            executable: executable,
            arguments: arguments,
            environment: environment.merging(extra) { _, new in new },
            logPath: outPath,
            errorLogPath: errPath
        )
        let exit = ExitBox()
        ChildSpawner.reap(pid) { status in exit.set(status) }
        let deadline = ContinuousClock.now + timeout
        var status = exit.get()
        while status == nil {
            if ContinuousClock.now >= deadline {
                kill(-pid, SIGKILL)
                while exit.get() == nil { try? await Task.sleep(for: .milliseconds(5)) }
                let command = ([executable] + arguments).joined(separator: " ")
                throw LocalBackendError(.command, "\(command) did not finish within \(timeout)")
            }
            try? await Task.sleep(for: .milliseconds(5))
            status = exit.get()
        }
        return CommandOutput(
            status: status ?? .exited(-1),
            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        )
    }

    /// Like ``run(_:_:environment:timeout:)`` but throws with the command's stderr when it fails.
    @discardableResult
    public func check(
        _ executable: String,
        _ arguments: [String],
        environment extra: [String: String] = [:],
        timeout: Duration = .seconds(60)
    ) async throws -> String {
        let output = try await run(executable, arguments, environment: extra, timeout: timeout)
        guard output.succeeded else {
            let command = ([URL(fileURLWithPath: executable).lastPathComponent] + arguments).joined(separator: " ")
            let detail = output.stderr.isEmpty ? output.stdout : output.stderr
            throw LocalBackendError(
                .command,
                "\(command) \(output.status): \(detail.trimmingCharacters(in: .whitespacesAndNewlines))"
            )
        }
        return output.stdout
    }
}

/// The exit status reported by the reaper thread.
private final class ExitBox: Sendable {
    private let value = Mutex<ExitStatus?>(nil)
    func set(_ status: ExitStatus) { value.withLock { $0 = status } }
    func get() -> ExitStatus? { value.withLock { $0 } }
}
