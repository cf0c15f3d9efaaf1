/// A Redis reply (RESP2).
public enum RESPValue: Sendable, Equatable {
    case simple(String)
    case integer(Int)
    /// nil is the null bulk string (`$-1`).
    case bulk([UInt8]?)
    case array([RESPValue]?)

    /// RESP2 request encoding: an array of bulk strings.
    static func encodeCommand(_ arguments: [[UInt8]]) -> [UInt8] {
        var out = Array("*\(arguments.count)\r\n".utf8)
        for argument in arguments {
            out += Array("$\(argument.count)\r\n".utf8)
            out += argument
            out += [13, 10]
        }
        return out
    }

    /// Reads one reply; an `-ERR …` reply throws ``RedisError``.
    static func read(from connection: TCPConnection) throws -> RESPValue {
        let line = try connection.readLine()
        guard let kind = line.first else { throw RedisError("protocol error: empty reply line") }
        let text = String(decoding: line.dropFirst(), as: UTF8.self)
        switch kind {
        case UInt8(ascii: "+"):
            return .simple(text)
        case UInt8(ascii: "-"):
            throw RedisError(text)
        case UInt8(ascii: ":"):
            guard let value = Int(text) else { throw RedisError("protocol error: bad integer \(text)") }
            return .integer(value)
        case UInt8(ascii: "$"):
            guard let length = Int(text) else { throw RedisError("protocol error: bad length \(text)") }
            if length < 0 { return .bulk(nil) }
            let bytes = try connection.read(count: length + 2)
            return .bulk(Array(bytes.prefix(length)))
        case UInt8(ascii: "*"):
            guard let count = Int(text) else { throw RedisError("protocol error: bad count \(text)") }
            if count < 0 { return .array(nil) }
            var elements: [RESPValue] = []
            for _ in 0..<count { elements.append(try read(from: connection)) }
            return .array(elements)
        default:
            throw RedisError("protocol error: unexpected reply type \(Character(UnicodeScalar(kind)))")
        }
    }
}
