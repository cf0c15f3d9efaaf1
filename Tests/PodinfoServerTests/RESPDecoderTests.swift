import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing

@testable import PodinfoServer

/// The RESP2 reply decoder and the command pairing on an in-memory channel: whatever way the bytes arrive (one at a
/// time, all replies at once), the replies come out whole and in order.
struct RESPDecoderTests {
    /// Every reply type, nulls, nesting, an error inside an array, and bytes that only look like line ends.
    static let replies: [(String, [RESPValue])] = [
        ("+OK\r\n", [.simple("OK")]),
        ("-ERR unknown command 'FOO'\r\n", [.error("ERR unknown command 'FOO'")]),
        (":1\r\n", [.integer(1)]),
        (":-42\r\n", [.integer(-42)]),
        ("$4\r\ndata\r\n", [.bulk(Array("data".utf8))]),
        ("$0\r\n\r\n", [.bulk([])]),
        ("$-1\r\n", [.bulk(nil)]),
        ("$6\r\na\r\nb\nc\r\n", [.bulk(Array("a\r\nb\nc".utf8))]),
        ("*-1\r\n", [.array(nil)]),
        ("*0\r\n", [.array([])]),
        (
            "*3\r\n$3\r\nSET\r\n:7\r\n*2\r\n$-1\r\n-WRONGTYPE nope\r\n",
            [.array([.bulk(Array("SET".utf8)), .integer(7), .array([.bulk(nil), .error("WRONGTYPE nope")])])]
        ),
    ]

    @Test func decodesEveryReplyTypeHoweverTheBytesArrive() throws {
        try ByteToMessageDecoderVerifier.verifyDecoder(stringInputOutputPairs: Self.replies) { RESPDecoder() }
    }

    @Test func aPartialReplyWaitsForTheRestAndConsumesNothing() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RESPDecoder()))
        for part in ["*2\r\n$5\r\nhel", "lo\r\n", ":", "3\r", "\n+PONG\r\n"] {
            try channel.writeInbound(ByteBuffer(string: part))
            if part != "\n+PONG\r\n" { #expect(try channel.readInbound(as: RESPValue.self) == nil) }
        }
        #expect(try channel.readInbound(as: RESPValue.self) == .array([.bulk(Array("hello".utf8)), .integer(3)]))
        #expect(try channel.readInbound(as: RESPValue.self) == .simple("PONG"))
        #expect(try channel.finish().isClean)
    }

    @Test(arguments: ["?what\r\n", ":12x\r\n", "$abc\r\n", "$3\r\nabcde\r\n", "*x\r\n", "\r\n"])
    func bytesThatAreNotRESPFailTheConnection(_ input: String) throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RESPDecoder()))
        #expect(throws: RedisError.self) { try channel.writeInbound(ByteBuffer(string: input)) }
        _ = try? channel.finish()
    }

    @Test func commandsAreWrittenAsArraysOfBulkStrings() throws {
        let channel = EmbeddedChannel(handler: MessageToByteHandler(RESPEncoder()))
        try channel.writeOutbound(RESPCommand("SET", [Array("key".utf8), Array("a b\r\n".utf8), []]))
        let written = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(String(buffer: written) == "*4\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\na b\r\n\r\n$0\r\n\r\n")
        #expect(try channel.finish().isClean)
    }

    @Test func pipelinedRepliesGoToTheirCommandsInOrder() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers(
            ByteToMessageHandler(RESPDecoder()),
            MessageToByteHandler(RESPEncoder()),
            RESPCommandHandler()
        )
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 6379)).wait()
        let replies = (0..<3).map { _ in channel.eventLoop.makePromise(of: RESPValue.self) }
        for (index, reply) in replies.enumerated() {
            channel.write(
                RESPRequest(command: RESPCommand("GET", [Array("k\(index)".utf8)]), reply: reply),
                promise: nil
            )
        }
        channel.flush()
        var sent = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { sent += String(buffer: buffer) }
        #expect(sent == "*2\r\n$3\r\nGET\r\n$2\r\nk0\r\n*2\r\n$3\r\nGET\r\n$2\r\nk1\r\n*2\r\n$3\r\nGET\r\n$2\r\nk2\r\n")
        // All three replies in one read, the last split across two.
        try channel.writeInbound(ByteBuffer(string: "$2\r\nv0\r\n-ERR no\r\n$"))
        #expect(try replies[0].futureResult.wait() == .bulk(Array("v0".utf8)))
        #expect(try replies[1].futureResult.wait() == .error("ERR no"))
        try channel.writeInbound(ByteBuffer(string: "-1\r\n"))
        #expect(try replies[2].futureResult.wait() == .bulk(nil))
        #expect(try channel.finish().isClean)
    }

    @Test func aClosedConnectionFailsWaitingCommandsAndLaterOnes() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers(
            ByteToMessageHandler(RESPDecoder()),
            MessageToByteHandler(RESPEncoder()),
            RESPCommandHandler()
        )
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 6379)).wait()
        let waiting = channel.eventLoop.makePromise(of: RESPValue.self)
        channel.writeAndFlush(RESPRequest(command: RESPCommand("PING", []), reply: waiting), promise: nil)
        channel.pipeline.fireChannelInactive()
        let lost = try #require(failure(of: waiting.futureResult))
        #expect(lost.connectionLost && lost.description == "EOF")
        let late = channel.eventLoop.makePromise(of: RESPValue.self)
        channel.writeAndFlush(RESPRequest(command: RESPCommand("PING", []), reply: late), promise: nil)
        #expect(failure(of: late.futureResult)?.connectionLost == true)
        _ = try? channel.finish()
    }

    private func failure(of future: EventLoopFuture<RESPValue>) -> RedisError? {
        do {
            _ = try future.wait()
            return nil
        } catch {
            return error as? RedisError
        }
    }
}
