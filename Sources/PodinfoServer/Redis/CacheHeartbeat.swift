import Logging
import ServiceLifecycle

/// podinfo's Redis heartbeat: `SET <hostname> <version> EX 60` at start and every 30 s; a failure logs
/// `cache server is offline` and nothing else (readiness never depends on Redis).
struct CacheHeartbeat: Service {
    let client: RedisClient
    let hostname: String
    let version: String
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    _ = try await client.command(
                        "SET",
                        Array(hostname.utf8),
                        Array(version.utf8),
                        Array("EX".utf8),
                        Array("60".utf8)
                    )
                } catch {
                    logger.warning(
                        "cache server is offline",
                        metadata: ["error": .string("\(error)"), "server": .string(client.server)]
                    )
                }
                try? await Task.sleep(for: .seconds(30))
            }
        }
    }
}
