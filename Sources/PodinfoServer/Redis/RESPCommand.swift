import NIOCore

/// One Redis command as the client writes it: the name and its arguments, sent as a RESP array of bulk strings.
struct RESPCommand: Sendable, Equatable {
    var arguments: [[UInt8]]

    init(_ name: String, _ arguments: [[UInt8]]) {
        self.arguments = [Array(name.utf8)] + arguments
    }
}

/// Writes a ``RESPCommand`` as RESP2 (`*<n>\r\n` then `$<length>\r\n<bytes>\r\n` per argument).
struct RESPEncoder: MessageToByteEncoder {
    typealias OutboundIn = RESPCommand

    func encode(data: RESPCommand, out: inout ByteBuffer) throws {
        out.writeString("*\(data.arguments.count)\r\n")
        for argument in data.arguments {
            out.writeString("$\(argument.count)\r\n")
            out.writeBytes(argument)
            out.writeStaticString("\r\n")
        }
    }
}
