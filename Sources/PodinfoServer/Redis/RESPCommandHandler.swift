import NIOCore

/// A command on its way to Redis and the promise its reply completes.
struct RESPRequest: Sendable {
    var command: RESPCommand
    var reply: EventLoopPromise<RESPValue>
}

/// Pairs replies with commands on one connection. Redis answers in the order it was asked, so the promises wait in a
/// queue: a write appends, a reply completes the oldest. Any number of commands may be in flight at once
/// (pipelining). When the connection fails or closes, every waiting command fails with the reason, and a command
/// written to a closed connection fails at once instead of waiting for a reply that cannot come.
final class RESPCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = RESPValue
    typealias OutboundIn = RESPRequest
    typealias OutboundOut = RESPCommand

    private var waiting = CircularBuffer<EventLoopPromise<RESPValue>>()
    /// Why the connection stopped; set once, on the first failure or close.
    private var closedBecause: RedisError?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let value = Self.unwrapInboundIn(data)
        guard let promise = waiting.popFirst() else {
            failAll(RedisError("protocol error: a reply no command asked for"), context: context)
            context.close(promise: nil)
            return
        }
        promise.succeed(value)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = Self.unwrapOutboundIn(data)
        if let closedBecause {
            request.reply.fail(closedBecause)
            promise?.fail(closedBecause)
            return
        }
        waiting.append(request.reply)
        context.write(Self.wrapOutboundOut(request.command), promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(error as? RedisError ?? .connectionLost("read: \(NetworkError.describe(error))"), context: context)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(.connectionLost("EOF"), context: context)
        context.fireChannelInactive()
    }

    private func failAll(_ error: RedisError, context: ChannelHandlerContext) {
        if closedBecause == nil { closedBecause = error }
        while let promise = waiting.popFirst() { promise.fail(error) }
    }
}

@available(*, unavailable)
extension RESPCommandHandler: Sendable {}
