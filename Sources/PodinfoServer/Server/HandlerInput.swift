import Hummingbird
import NIOCore

/// A matched request as handlers see it.
struct HandlerInput: Sendable {
    var request: Request
    var variables: [String: String]
    var context: PodinfoRequestContext

    /// The body, capped at 10 MiB; a reply with podinfo's error JSON when it cannot be read.
    func body() async -> Result<[UInt8], ReplyError> {
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: PodinfoResponder.maxRequestBodySize)
            return .success(Array(buffer.readableBytesView))
        } catch is NIOTooManyBytesError {
            return .failure(ReplyError(reply: .error("request body too large", code: 413)))
        } catch {
            return .failure(ReplyError(reply: .error("invalid request body", code: 400)))
        }
    }
}

/// A reply carried through a `Result` failure.
struct ReplyError: Error {
    var reply: Reply
}
