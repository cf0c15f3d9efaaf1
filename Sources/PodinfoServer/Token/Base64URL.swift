/// Unpadded base64url (RFC 4648 §5), the segment encoding of JWTs.
public enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Encodes without `=` padding.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let b0 = UInt32(bytes[index])
            let b1 = index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0
            let b2 = index + 2 < bytes.count ? UInt32(bytes[index + 2]) : 0
            let triple = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(triple >> 18 & 0x3F)])
            out.append(alphabet[Int(triple >> 12 & 0x3F)])
            if index + 1 < bytes.count { out.append(alphabet[Int(triple >> 6 & 0x3F)]) }
            if index + 2 < bytes.count { out.append(alphabet[Int(triple & 0x3F)]) }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes like Go's `base64.RawURLEncoding` (golang-jwt v4's default): no `=` padding, fails on a character
    /// outside the alphabet or an impossible length, with the offset of the offending byte.
    public static func decode(_ text: String) -> Result<[UInt8], DecodeError> {
        var values = [UInt32]()
        let bytes = Array(text.utf8)
        for (offset, byte) in bytes.enumerated() {
            guard let value = decodeTable[Int(byte)] else { return .failure(DecodeError(offset: offset)) }
            values.append(value)
        }
        if values.count % 4 == 1 { return .failure(DecodeError(offset: values.count - 1)) }
        var out = [UInt8]()
        var index = 0
        while index < values.count {
            let chunk = values[index..<min(index + 4, values.count)]
            var accumulator: UInt32 = 0
            for value in chunk { accumulator = accumulator << 6 | value }
            accumulator <<= UInt32(6 * (4 - chunk.count))
            let produced = chunk.count - 1
            for position in 0..<produced {
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(16 - 8 * position)))
            }
            index += 4
        }
        return .success(out)
    }

    /// Where decoding failed, as Go's `illegal base64 data at input byte N` reports it.
    public struct DecodeError: Error, CustomStringConvertible {
        public var offset: Int
        public var description: String { "illegal base64 data at input byte \(offset)" }
    }

    private static let decodeTable: [UInt32?] = {
        var table = [UInt32?](repeating: nil, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt32(index) }
        return table
    }()
}
