import CurlHTTP
import NIOCore
import NIOHTTP1
import NIOPosix

/// The HTTP/1.1 client `/echo` uses to fan a request out to `--backend-url`s: one `POST` per backend on its own
/// connection (`Connection: close`), the whole exchange bounded by `--http-client-timeout`.
///
/// On NIO's `ClientBootstrap` rather than the project's `CurlHTTP`: the calls run on the event loops that already serve
/// the request (no transfer thread), the request carries exactly the header set podinfo's Go client sends (curl adds
/// `Accept` and may add `Expect: 100-continue`), and a failed dial is told apart precisely enough (NIO keeps the
/// errno and the failing lookup) to be worded as Go words it, as the Redis client does.
struct BackendClient: Sendable {
    /// A backend's answer.
    struct Answer: Sendable {
        var status: Int
        var body: [UInt8]
    }

    let timeout: Duration
    var group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton

    /// POSTs `body`; throws ``NetworkError`` worded like Go's client (`Post "<url>": dial tcp …`).
    func post(url: String, body: [UInt8], headers: [(String, String)]) async throws -> Answer {
        guard let target = Target(url: url) else {
            let scheme = url[..<(url.firstRange(of: "://")?.lowerBound ?? url.endIndex)]
            throw NetworkError("Post \"\(url)\": unsupported protocol scheme \"\(scheme)\"")
        }
        do {
            return try await exchange(target, body: body, headers: headers).get()
        } catch let error as NetworkError {
            throw NetworkError("Post \"\(url)\": \(error.description)")
        }
    }

    private func exchange(_ target: Target, body: [UInt8], headers: [(String, String)]) -> EventLoopFuture<Answer> {
        let loop = group.next()
        let answer = loop.makePromise(of: Answer.self)
        let deadline = loop.scheduleTask(in: TimeAmount(timeout)) {
            answer.fail(NetworkError("read: i/o timeout"))
        }
        answer.futureResult.whenComplete { _ in deadline.cancel() }
        var fields = HTTPHeaders([
            ("Host", target.hostHeader), ("User-Agent", "Go-http-client/1.1"), ("Content-Length", "\(body.count)"),
            ("Connection", "close"),
        ])
        fields.add(contentsOf: headers)
        fields.add(name: "Accept-Encoding", value: "identity")
        let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: target.pathAndQuery, headers: fields)
        let (host, port) = (target.host, target.port)
        ClientBootstrap(group: loop)
            .connectTimeout(TimeAmount(timeout))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(BackendResponseHandler(answer: answer))
                }
            }
            .connect(host: host, port: port)
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    // A timed-out or failed answer closes the connection; an answered one is closed by `Connection:
                    // close` on both ends, and closing again does no harm.
                    answer.futureResult.whenComplete { _ in channel.close(promise: nil) }
                    channel.write(HTTPClientRequestPart.head(head), promise: nil)
                    channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil)
                    channel.writeAndFlush(HTTPClientRequestPart.end(nil)).whenFailure { error in
                        answer.fail(NetworkError("write: \(NetworkError.describe(error))"))
                    }
                case .failure(let error):
                    answer.fail(NetworkError.dial(error, host: host, port: port))
                }
            }
        return answer.futureResult
    }

    /// An `http://host[:port]/path?query` URL.
    struct Target {
        var host: String
        var port: Int
        var hostHeader: String
        var pathAndQuery: String

        init?(url: String) {
            guard url.hasPrefix("http://"), let parts = URLParts(url) else { return nil }
            host = parts.host
            port = parts.port ?? 80
            hostHeader = parts.hostAndPort
            pathAndQuery =
                parts.pathAndQuery.isEmpty || parts.pathAndQuery.hasPrefix("?")
                ? "/" + parts.pathAndQuery : parts.pathAndQuery
        }
    }
}
