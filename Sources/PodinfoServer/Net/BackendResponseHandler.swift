import NIOCore
import NIOHTTP1

/// Collects one HTTP response (status and body; NIO's decoder has already undone chunking and knows where the body
/// ends) and completes `answer` with it; a connection that ends or fails before the end of the response fails it.
final class BackendResponseHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let answer: EventLoopPromise<BackendClient.Answer>
    private var status: Int?
    private var body: [UInt8] = []

    init(answer: EventLoopPromise<BackendClient.Answer>) {
        self.answer = answer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            // 1xx answers (`100 Continue`) come before the real one.
            guard head.status.code >= 200 else { return }
            status = Int(head.status.code)
            body = []
        case .body(let chunk):
            body += chunk.readableBytesView
        case .end:
            guard let status else { return }
            answer.succeed(BackendClient.Answer(status: status, body: body))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is HTTPParserError {
            answer.fail(NetworkError("malformed HTTP response"))
        } else {
            answer.fail(NetworkError("read: \(NetworkError.describe(error))"))
        }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        answer.fail(NetworkError("unexpected EOF"))
        context.fireChannelInactive()
    }
}

@available(*, unavailable)
extension BackendResponseHandler: Sendable {}
