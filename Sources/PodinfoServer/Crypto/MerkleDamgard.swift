/// Padding and word helpers shared by SHA-1 and SHA-256.
enum MerkleDamgard {
    /// The message padded to a multiple of 64 bytes (0x80, zeros, 64-bit big-endian bit length), split in blocks.
    static func paddedBlocks(_ message: [UInt8]) -> [ArraySlice<UInt8>] {
        var data = message
        let bitLength = UInt64(message.count) &* 8
        data.append(0x80)
        while data.count % 64 != 56 { data.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) {
            data.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
        }
        return stride(from: 0, to: data.count, by: 64).map { data[$0..<$0 + 64] }
    }

    static func word(_ block: ArraySlice<UInt8>, at offset: Int) -> UInt32 {
        let base = block.startIndex + offset
        return UInt32(block[base]) << 24 | UInt32(block[base + 1]) << 16 | UInt32(block[base + 2]) << 8
            | UInt32(block[base + 3])
    }

    static func bytes(_ words: [UInt32]) -> [UInt8] {
        words.flatMap { word in [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: word >> UInt32($0)) } }
    }
}

extension UInt32 {
    func rotatedRight(_ count: UInt32) -> UInt32 { (self >> count) | (self << (32 - count)) }
    func rotatedLeft(_ count: UInt32) -> UInt32 { (self << count) | (self >> (32 - count)) }
}
