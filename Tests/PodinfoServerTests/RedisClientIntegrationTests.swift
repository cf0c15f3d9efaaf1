import Foundation
import TestSupport
import Testing

@testable import PodinfoServer

/// The NIO Redis client against a real `redis-server`: pipelined commands keep their replies, error replies leave the
/// connection usable, and a connection Redis drops is replaced.
struct RedisClientIntegrationTests {
    @Test func concurrentCommandsShareOneConnectionAndGetTheirOwnReplies() async throws {
        let redis = try RedisServer()
        let client = RedisClient(server: "tcp://127.0.0.1:\(redis.port)")
        defer { client.close() }
        let connectionsBefore = try connectionsReceived(redis)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    let set = try await client.command("SET", Array("key\(index)".utf8), Array("value\(index)".utf8))
                    #expect(set == .simple("OK"))
                    let get = try await client.command("GET", Array("key\(index)".utf8))
                    #expect(get == .bulk(Array("value\(index)".utf8)))
                }
            }
            try await group.waitForAll()
        }
        // One for the client, one for the redis-cli that asks.
        #expect(try connectionsReceived(redis) == connectionsBefore + 2)
        #expect(try await client.command("GET", Array("missing".utf8)) == .bulk(nil))
        #expect(try await client.command("EXISTS", Array("key7".utf8), Array("key8".utf8)) == .integer(2))
    }

    @Test func anErrorReplyThrowsItsTextAndTheConnectionStaysUsable() async throws {
        let redis = try RedisServer()
        let client = RedisClient(server: "tcp://127.0.0.1:\(redis.port)")
        defer { client.close() }
        let connectionsBefore = try connectionsReceived(redis)
        _ = try await client.command("SET", Array("text".utf8), Array("abc".utf8))
        await #expect {
            _ = try await client.command("INCR", Array("text".utf8))
        } throws: { error in
            (error as? RedisError)?.description == "ERR value is not an integer or out of range"
        }
        #expect(try await client.command("GET", Array("text".utf8)) == .bulk(Array("abc".utf8)))
        #expect(try connectionsReceived(redis) == connectionsBefore + 2)
    }

    @Test func aConnectionRedisDropsIsReplaced() async throws {
        let redis = try RedisServer()
        let client = RedisClient(server: "tcp://127.0.0.1:\(redis.port)")
        defer { client.close() }
        #expect(try await client.command("SET", Array("k".utf8), Array("1".utf8)) == .simple("OK"))
        let cli = try requireBinary("redis-cli", debianPackage: "redis-tools")
        _ = try runCommand(cli, ["-p", String(redis.port), "client", "kill", "type", "normal", "skipme", "yes"])
        #expect(try await client.command("GET", Array("k".utf8)) == .bulk(Array("1".utf8)))
    }

    @Test func aDownServerFailsLikeGosDialer() async throws {
        let port = try freePort()
        let client = RedisClient(server: "tcp://127.0.0.1:\(port)")
        await #expect {
            _ = try await client.command("PING")
        } throws: { error in
            (error as? RedisError)?.description == "dial tcp 127.0.0.1:\(port): connect: connection refused"
        }
        await #expect(throws: RedisError.self) { _ = try await RedisClient(server: "redis:6379").command("PING") }
    }

    @Test func authIsSentOnEveryNewConnection() async throws {
        let redis = try RedisServer(password: "s3cret")
        let client = RedisClient(server: "tcp://:s3cret@127.0.0.1:\(redis.port)")
        defer { client.close() }
        #expect(try await client.command("PING") == .simple("PONG"))
        let wrong = RedisClient(server: "tcp://:nope@127.0.0.1:\(redis.port)")
        await #expect(throws: RedisError.self) { _ = try await wrong.command("PING") }
    }

    /// `total_connections_received` from `INFO`, through redis-cli, which counts itself.
    private func connectionsReceived(_ redis: RedisServer) throws -> Int {
        Int(try redisInfo(redis, "total_connections_received") ?? "") ?? -1
    }

    /// One field of `INFO`, through redis-cli (a connection of its own).
    private func redisInfo(_ redis: RedisServer, _ field: String) throws -> String? {
        let cli = try requireBinary("redis-cli", debianPackage: "redis-tools")
        var arguments = ["-p", String(redis.port)]
        if let password = redis.password { arguments += ["-a", password, "--no-auth-warning"] }
        let info = try runCommand(cli, arguments + ["info"])
        return info.stdout.split(whereSeparator: \.isNewline)
            .first { $0.hasPrefix("\(field):") }
            .map { $0.dropFirst(field.count + 1).trimmingCharacters(in: .whitespacesAndNewlines) }
    }
}
