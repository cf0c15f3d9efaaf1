import CurlHTTP
import Dispatch
import Foundation
import Synchronization

/// A small Redis client for podinfo's cache routes: a pool of up to three idle connections (redigo's `MaxIdle 3`),
/// connect/read/write timeouts, `AUTH` from a `tcp://user:pass@host:port` address. Blocking socket calls run on a
/// dispatch queue so they never stall the server's event loops or the cooperative pool.
public final class RedisClient: Sendable {
    /// `--cache-server` as podinfo reads it (`url.Parse`, then the host part).
    public struct Address: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var user: String?
        public var password: String?

        /// nil when the value has no host, e.g. `redis:6379` without `tcp://` (podinfo's dials then all fail).
        public init?(url: String) {
            guard let parts = URLParts(url), let port = parts.port else { return nil }
            host = parts.host
            self.port = port
            user = parts.user
            password = parts.password
        }
    }

    public let server: String
    private let address: Address?
    private let timeout: Duration
    private let idle = Mutex<[TCPConnection]>([])
    private let queue = DispatchQueue(label: "podinfo.redis", attributes: .concurrent)
    private static let maxIdle = 3

    /// - Parameters:
    ///   - server: the `--cache-server` value.
    ///   - timeout: bound on connect and on each read or write.
    public init(server: String, timeout: Duration = .seconds(2)) {
        self.server = server
        self.address = Address(url: server)
        self.timeout = timeout
    }

    /// Runs one command, e.g. `command("SET", key, value)`.
    public func command(_ name: String, _ arguments: [UInt8]...) async throws -> RESPValue {
        let request = RESPValue.encodeCommand([Array(name.utf8)] + arguments)
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try self.run(request) })
            }
        }
    }

    private func run(_ request: [UInt8]) throws -> RESPValue {
        // A pooled connection may have been closed by the server; retry once on a fresh one.
        if let connection = idle.withLock({ $0.popLast() }) {
            do {
                return try exchange(request, on: connection)
            } catch let error as RedisError {
                throw error
            } catch {
                // exchange closed it; fall through to a fresh connection
            }
        }
        let connection = try connect()
        return try exchange(request, on: connection)
    }

    private func exchange(_ request: [UInt8], on connection: TCPConnection) throws -> RESPValue {
        do {
            try connection.write(request)
            let reply = try RESPValue.read(from: connection)
            release(connection)
            return reply
        } catch let error as RedisError {
            release(connection)  // an error reply leaves the connection usable
            throw error
        } catch {
            connection.close()
            throw error
        }
    }

    private func release(_ connection: TCPConnection) {
        let kept = idle.withLock { pool in
            guard pool.count < Self.maxIdle else { return false }
            pool.append(connection)
            return true
        }
        if !kept { connection.close() }
    }

    private func connect() throws -> TCPConnection {
        guard let address else { throw RedisError("dial tcp: missing address") }
        let connection: TCPConnection
        do {
            connection = try TCPConnection(host: address.host, port: address.port, timeout: timeout)
        } catch let error as NetworkError {
            throw RedisError(error.description)
        }
        if let password = address.password {
            var auth = [Array("AUTH".utf8)]
            if let user = address.user { auth.append(Array(user.utf8)) }
            auth.append(Array(password.utf8))
            try connection.write(RESPValue.encodeCommand(auth))
            _ = try RESPValue.read(from: connection)
        }
        return connection
    }

    /// Closes the idle connections.
    public func close() {
        for connection in idle.withLock({ pool in
            defer { pool.removeAll() }; return pool
        }) {
            connection.close()
        }
    }
}
