import CurlHTTP
import NIOCore
import NIOPosix
import Synchronization

/// A small Redis client for podinfo's cache routes, on SwiftNIO: one connection, opened on first use, that every
/// command shares; commands from concurrent requests are pipelined on it (``RESPCommandHandler`` pairs the replies
/// in order), which is what redigo's pool of up to three idle connections buys podinfo, with fewer sockets. A
/// connection that closes or breaks is dropped and the next command dials again (a command that found it dead is
/// retried once on the fresh one); `AUTH` from a `tcp://user:pass@host:port` address is sent on each new connection.
/// Connecting and each reply are bounded by `timeout`; a reply that does not come in time closes the connection,
/// since every reply pipelined behind it would otherwise be paired with the wrong command.
public final class RedisClient: Sendable {
    /// `--cache-server` as podinfo reads it (`url.Parse`, then the host part).
    public struct Address: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var user: String?
        public var password: String?

        public init(host: String, port: Int, user: String? = nil, password: String? = nil) {
            self.host = host
            self.port = port
            self.user = user
            self.password = password
        }

        /// nil when the value has no host, e.g. `redis:6379` without `tcp://` (podinfo's dials then all fail).
        public init?(url: String) {
            guard let parts = URLParts(url), let port = parts.port else { return nil }
            self.init(host: parts.host, port: port, user: parts.user, password: parts.password)
        }

        /// `server` as the given podinfo's dial reads it; the error is the one its every dial then fails with.
        public static func parse(_ server: String, syntax: CacheServerSyntax) -> Result<Address, RedisError> {
            switch syntax {
            case .url:
                guard let address = Address(url: server) else {
                    return .failure(RedisError("dial tcp: missing address"))
                }
                return .success(address)
            case .hostPort:
                return hostPort(server)
            }
        }

        /// `redis.Dial("tcp", server)` before 6.1.1: Go's `net.SplitHostPort` on the value as it is, so a
        /// `tcp://host:port` URL fails with "too many colons in address" (spec/podinfo.md §12).
        private static func hostPort(_ server: String) -> Result<Address, RedisError> {
            func failure(_ why: String) -> Result<Address, RedisError> {
                .failure(RedisError("dial tcp: address \(server): \(why)"))
            }
            guard let colon = server.lastIndex(of: ":") else { return failure("missing port in address") }
            var host = String(server[..<colon])
            if host.hasPrefix("[") {
                guard host.hasSuffix("]"), host.count >= 2 else { return failure("missing ']' in address") }
                host = String(host.dropFirst().dropLast())
            } else if host.contains(":") {
                return failure("too many colons in address")
            }
            let portText = server[server.index(after: colon)...]
            guard let port = Int(portText), (0...65535).contains(port) else {
                return .failure(RedisError("dial tcp: lookup tcp/\(portText): unknown port"))
            }
            // Go dials the local system for an empty host (":6379").
            return .success(Address(host: host.isEmpty ? "127.0.0.1" : host, port: port))
        }
    }

    public let server: String
    private let address: Result<Address, RedisError>
    private let timeout: Duration
    private let group: any EventLoopGroup
    /// The shared connection, while it is being opened or is open; nil before the first command and after it closed.
    private let connection = Mutex<EventLoopFuture<any Channel>?>(nil)

    /// - Parameters:
    ///   - server: the `--cache-server` value.
    ///   - syntax: how the podinfo played reads it (``CacheServerSyntax/init(version:)``).
    ///   - timeout: bound on connecting and on each reply.
    ///   - group: the event loops the connection runs on (the server's own, by default).
    public init(
        server: String,
        syntax: CacheServerSyntax = .url,
        timeout: Duration = .seconds(2),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.server = server
        self.address = Address.parse(server, syntax: syntax)
        self.timeout = timeout
        self.group = group
    }

    /// Runs one command, e.g. `command("SET", key, value)`; an error reply throws ``RedisError`` with its text.
    public func command(_ name: String, _ arguments: [UInt8]...) async throws -> RESPValue {
        let command = RESPCommand(name, arguments)
        let (connection, reused) = currentConnection()
        let value: RESPValue
        do {
            value = try await attempt(command, on: connection)
        } catch let error as RedisError where error.connectionLost && reused {
            // Redis closed the connection while it was idle (a restart, `timeout` in redis.conf): dial once more.
            value = try await attempt(command, on: currentConnection().future)
        }
        if case .error(let text) = value { throw RedisError(text) }
        return value
    }

    /// `command` on `connection`; any failure drops the connection, so the next command dials again.
    private func attempt(_ command: RESPCommand, on connection: EventLoopFuture<any Channel>) async throws -> RESPValue
    {
        do {
            return try await send(command, on: connection).get()
        } catch {
            forget(connection)
            throw error
        }
    }

    /// The reply to `command` on `connection` once it is open; fails after `timeout` without one, closing the
    /// connection.
    private func send(
        _ command: RESPCommand,
        on connection: EventLoopFuture<any Channel>
    ) -> EventLoopFuture<RESPValue> {
        connection.flatMap { channel in
            let reply = channel.eventLoop.makePromise(of: RESPValue.self)
            let deadline = channel.eventLoop.scheduleTask(in: TimeAmount(self.timeout)) {
                reply.fail(RedisError("read tcp \(self.server): i/o timeout"))
                channel.close(promise: nil)
            }
            reply.futureResult.whenComplete { _ in deadline.cancel() }
            let written = channel.eventLoop.makePromise(of: Void.self)
            written.futureResult.whenFailure { error in
                reply.fail(error as? RedisError ?? .connectionLost("write: \(NetworkError.describe(error))"))
            }
            channel.writeAndFlush(RESPRequest(command: command, reply: reply), promise: written)
            return reply.futureResult
        }
    }

    /// The open connection, or a new one; `reused` says whether another command had it first.
    private func currentConnection() -> (future: EventLoopFuture<any Channel>, reused: Bool) {
        connection.withLock { current in
            if let current { return (current, true) }
            let future = connect()
            current = future
            return (future, false)
        }
    }

    /// Drops `future` as the shared connection (it failed to open, broke or closed) and closes it if it is still open.
    private func forget(_ future: EventLoopFuture<any Channel>) {
        connection.withLock { current in
            if current === future { current = nil }
        }
        future.whenSuccess { channel in channel.close(promise: nil) }
    }

    private func connect() -> EventLoopFuture<any Channel> {
        let loop = group.next()
        let address: Address
        switch self.address {
        case .success(let parsed): address = parsed
        case .failure(let error): return loop.makeFailedFuture(error)
        }
        let host = address.host
        let port = address.port
        let connected = ClientBootstrap(group: loop)
            .connectTimeout(TimeAmount(timeout))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(
                        ByteToMessageHandler(RESPDecoder()),
                        MessageToByteHandler(RESPEncoder()),
                        RESPCommandHandler()
                    )
                }
            }
            .connect(host: host, port: port)
            .flatMapErrorThrowing { error in
                throw RedisError(NetworkError.dial(error, host: host, port: port).description)
            }
        let authenticated = connected.flatMap { channel -> EventLoopFuture<any Channel> in
            guard let password = address.password else { return channel.eventLoop.makeSucceededFuture(channel) }
            var arguments: [[UInt8]] = []
            if let user = address.user { arguments.append(Array(user.utf8)) }
            arguments.append(Array(password.utf8))
            let auth = self.send(RESPCommand("AUTH", arguments), on: channel.eventLoop.makeSucceededFuture(channel))
            return auth.flatMapThrowing { value in
                if case .error(let text) = value {
                    channel.close(promise: nil)
                    throw RedisError(text)
                }
                return channel
            }
        }
        authenticated.whenSuccess { [weak self] channel in
            channel.closeFuture.whenComplete { _ in self?.forget(authenticated) }
        }
        return authenticated
    }

    /// Closes the connection.
    public func close() {
        let current = connection.withLock { current in
            defer { current = nil }
            return current
        }
        current?.whenSuccess { channel in channel.close(promise: nil) }
    }
}
