import Foundation
import HarnessServers

/// A real `redis-server` on 127.0.0.1 with no persistence: podinfo's cache (`--cache-server`).
public struct RedisServer: Sendable {
    static let processName = "redis"
    public let port: Int

    /// podinfo's `--cache-server` value for this server.
    public var cacheServerURL: String { "tcp://127.0.0.1:\(port)" }

    /// Starts redis-server (again, after a fault stopped it) and waits until it accepts connections.
    public static func start(
        supervisor: ProcessSupervisor,
        executable: String,
        workDirectory: WorkDirectory,
        port: Int
    ) async throws -> RedisServer {
        let directory = try workDirectory.component("redis")
        let logPath = workDirectory.log("redis")
        try await supervisor.start(
            ProcessSpec(
                name: processName,
                executable: executable,
                arguments: [
                    "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--dir", directory, "--daemonize", "no", "--protected-mode", "yes",
                ],
                environment: ["PATH": "/usr/bin:/bin"],
                logPath: logPath,
                gracePeriod: .seconds(3)
            )
        )
        let deadline = ContinuousClock.now + .seconds(10)
        while !PortAllocator.isListening(port) {
            guard ContinuousClock.now < deadline, await supervisor.isRunning(processName) else {
                let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
                throw LocalBackendError(
                    .startup,
                    "redis-server did not listen on 127.0.0.1:\(port): \(log.suffix(1000))"
                )
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return RedisServer(port: port)
    }
}
