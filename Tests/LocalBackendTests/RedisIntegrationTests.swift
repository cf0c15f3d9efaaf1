import Foundation
import HarnessServers
import LocalBackend
import TestSupport
import Testing

#if canImport(Glibc)
    /// `SOCK_STREAM`: an enum case in Glibc, an `Int32` in Darwin.
    private let streamSocket = Int32(SOCK_STREAM.rawValue)
#else
    private let streamSocket = SOCK_STREAM
#endif

/// redis-server runs on its own port and answers PING.
@Suite struct RedisIntegrationTests {
    @Test func redisAnswersPingOnItsOwnPort() async throws {
        try await Fixture.run { fixture in
            let executable = try fixture.binary("redis-server", "redis-server")
            let port = try fixture.ports.next()
            let redis = try await RedisServer.start(
                supervisor: fixture.supervisor,
                executable: executable,
                workDirectory: fixture.workDirectory,
                port: port
            )
            #expect(redis.cacheServerURL == "tcp://127.0.0.1:\(port)")
            #expect(try Self.ping(port: port) == "+PONG")
            await fixture.supervisor.stopAll()
            #expect(!isListening(port: port))
        }
    }

    static func ping(port: Int) throws -> String {
        let fd = socket(AF_INET, streamSocket, 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else { throw TestSupportError("cannot connect to redis on \(port)") }
        _ = "PING\r\n".withCString { send(fd, $0, 6, 0) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = recv(fd, &buffer, buffer.count, 0)
        return String(decoding: buffer.prefix(max(0, count)), as: UTF8.self).trimmingCharacters(
            in: .whitespacesAndNewlines
        )
    }
}
