import NIOCore

/// Reads RESP2 replies off a connection, one ``RESPValue`` per complete reply, however the bytes arrive: a reply
/// split across reads waits for the rest (nothing is consumed until a whole reply is there), and several replies in
/// one read (pipelining) come out one by one, in order. Error replies are values (`.error`), not decoding failures:
/// the connection stays usable after `-ERR`. Bytes that are not RESP throw a ``RedisError`` and the connection closes.
struct RESPDecoder: ByteToMessageDecoder {
    typealias InboundOut = RESPValue

    /// Redis' own `proto-max-bulk-len` default; a longer length is a corrupt stream, not a value to wait for.
    static let maximumBulkLength = 512 * 1024 * 1024
    /// Replies nest only as deep as the commands podinfo sends make them (not at all); this bounds a hostile stream.
    static let maximumDepth = 32

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        var reader = buffer
        guard let value = try Self.parse(&reader, depth: 0) else { return .needMoreData }
        buffer.moveReaderIndex(to: reader.readerIndex)
        context.fireChannelRead(Self.wrapInboundOut(value))
        return .continue
    }

    /// One reply from the front of `buffer`, or nil when it is not complete yet (then `buffer` is partly read and
    /// the caller throws its copy away).
    static func parse(_ buffer: inout ByteBuffer, depth: Int) throws -> RESPValue? {
        guard depth <= maximumDepth else { throw RedisError("protocol error: replies nested too deep") }
        guard let line = readLine(&buffer) else { return nil }
        guard let kind = line.first else { throw RedisError("protocol error: empty reply line") }
        let text = String(decoding: line.dropFirst(), as: UTF8.self)
        switch kind {
        case UInt8(ascii: "+"):
            return .simple(text)
        case UInt8(ascii: "-"):
            return .error(text)
        case UInt8(ascii: ":"):
            guard let value = Int(text) else { throw RedisError("protocol error: bad integer \(text)") }
            return .integer(value)
        case UInt8(ascii: "$"):
            guard let length = Int(text), length <= maximumBulkLength else {
                throw RedisError("protocol error: bad length \(text)")
            }
            if length < 0 { return .bulk(nil) }
            guard buffer.readableBytes >= length + 2, let bytes = buffer.readBytes(length: length) else { return nil }
            guard buffer.readBytes(length: 2) == [13, 10] else {
                throw RedisError("protocol error: bulk string of \(length) bytes not followed by CRLF")
            }
            return .bulk(bytes)
        case UInt8(ascii: "*"):
            guard let count = Int(text) else { throw RedisError("protocol error: bad count \(text)") }
            if count < 0 { return .array(nil) }
            var elements: [RESPValue] = []
            for _ in 0..<count {
                guard let element = try parse(&buffer, depth: depth + 1) else { return nil }
                elements.append(element)
            }
            return .array(elements)
        default:
            throw RedisError("protocol error: unexpected reply type \(Character(UnicodeScalar(kind)))")
        }
    }

    /// The bytes before the next CRLF (a bare LF is accepted too), consuming the line ending; nil without one yet.
    private static func readLine(_ buffer: inout ByteBuffer) -> [UInt8]? {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let length = newline - buffer.readerIndex
        guard var line = buffer.readBytes(length: length + 1) else { return nil }
        line.removeLast()
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        return line
    }
}
