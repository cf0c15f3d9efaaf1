import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A small in-process HTTP server on 127.0.0.1 (the ingress metrics exporter, the loadtester, the alert receiver):
/// one handler for every request, run on Hummingbird until ``stop()``. The kind backend's alert receiver binds the
/// Kind network's gateway address instead, where the cluster's pods reach the host.
public final class LocalHTTPServer: Sendable {
    /// A request as the handler sees it.
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var query: String
        public var body: [UInt8]
        public var headers: [(String, String)]

        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// What the handler answers.
    public struct Response: Sendable {
        public var status: Int
        public var body: String
        public var contentType: String

        public init(status: Int, body: String = "", contentType: String = "text/plain; charset=utf-8") {
            self.status = status
            self.body = body
            self.contentType = contentType
        }
    }

    public typealias Handler = @Sendable (Request) async -> Response

    public let port: Int
    public let name: String
    public let host: String
    private let task: Task<Void, any Error>
    private let group: ServiceGroup

    /// Starts serving on `host`:`port` and returns once the server accepts connections.
    public init(name: String, port: Int, host: String = "127.0.0.1", handler: @escaping Handler) async throws {
        self.port = port
        self.host = host
        self.name = name
        let router = Router()
        let adapter: @Sendable (Hummingbird.Request, BasicRequestContext) async throws -> Hummingbird.Response = {
            request,
            _ in
            var request = request
            let body = try await request.collectBody(upTo: 16 << 20)
            let converted = Request(
                method: request.method.rawValue,
                path: request.uri.path,
                query: request.uri.query ?? "",
                body: Array(body.readableBytesView),
                headers: request.headers.map { ($0.name.canonicalName, $0.value) }
            )
            let answer = await handler(converted)
            var headers = HTTPFields()
            headers[.contentType] = answer.contentType
            return Hummingbird.Response(
                status: HTTPResponse.Status(code: answer.status),
                headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(string: answer.body))
            )
        }
        for method in [HTTPRequest.Method.get, .post, .put, .delete, .head] {
            router.on("/", method: method, use: adapter)
            router.on("**", method: method, use: adapter)
        }
        var logger = Logger(label: "rollout-e2e.\(name)")
        logger.logLevel = .critical
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            logger: logger
        )
        // Stopped by graceful shutdown, not cancellation: cancelling a Hummingbird server while a connection is
        // being accepted trips a NIOAsyncWriter precondition and takes the whole process down.
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        self.group = group
        task = Task { try await group.run() }
        let deadline = ContinuousClock.now + .seconds(10)
        while !PortAllocator.isListening(port, host: host) {
            guard ContinuousClock.now < deadline else {
                await group.triggerGracefulShutdown()
                throw HarnessServerError("\(name) did not listen on \(host):\(port) within 10 s")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    public var url: String { "http://\(host):\(port)" }

    /// Stops the server and waits until its port is closed.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}
