/// HMAC-SHA256 (RFC 2104), the HS256 signature of podinfo's JWTs.
public enum HMACSHA256 {
    /// The 32-byte authentication code of `message` under `key`.
    public static func authenticationCode(for message: [UInt8], key: [UInt8]) -> [UInt8] {
        let blockSize = 64
        var keyBlock = key.count > blockSize ? SHA256.hash(key) : key
        keyBlock += [UInt8](repeating: 0, count: blockSize - keyBlock.count)
        let inner = SHA256.hash(keyBlock.map { $0 ^ 0x36 } + message)
        return SHA256.hash(keyBlock.map { $0 ^ 0x5c } + inner)
    }

    /// Compares two MACs in time independent of where they differ.
    public static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(lhs, rhs) { difference |= a ^ b }
        return difference == 0
    }
}

/// Lower-case hexadecimal, as Go's `%x` prints digests.
public func hexString(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(bytes.count * 2)
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0xF)])
    }
    return String(decoding: out, as: UTF8.self)
}
