/// Reads a mapping by key, recording which keys were read so unknown ones can be reported afterwards.
struct KeyedNodeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: NodeDecoder
    let pairs: [Pair]
    let usage: DecodingContext.MappingUsage?
    private let positions: [String: Int]

    init(decoder: NodeDecoder, pairs: [Pair], usage: DecodingContext.MappingUsage?) {
        self.decoder = decoder
        self.pairs = pairs
        self.usage = usage
        var positions: [String: Int] = [:]
        for (position, pair) in pairs.enumerated() {
            if let key = pair.key.scalarValue, positions[key] == nil { positions[key] = position }
        }
        self.positions = positions
    }

    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] { pairs.compactMap { $0.key.scalarValue.flatMap(Key.init(stringValue:)) } }

    func contains(_ key: Key) -> Bool {
        usage?.asked.insert(key.stringValue)
        return positions[key.stringValue] != nil
    }

    /// The value under `key`, marking it read; a missing key is an error at the mapping.
    private func value(for key: Key) throws -> Node {
        usage?.asked.insert(key.stringValue)
        guard let position = positions[key.stringValue] else {
            throw decoder.context.diagnostic(
                "missing required key '\(key.stringValue)'",
                at: decoder.node,
                path: codingPath
            )
        }
        usage?.read.insert(key.stringValue)
        return pairs[position].value
    }

    private func child(for key: Key) throws -> NodeDecoder {
        decoder.child(try value(for: key), key: key)
    }

    func decodeNil(forKey key: Key) throws -> Bool { try value(for: key).isNull }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try child(for: key).decodeValue(type)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard contains(key) else { return nil }
        let child = try child(for: key)
        if child.node.isNull { return nil }
        return try child.decodeValue(type)
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try child(for: key).decodeBool() }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try child(for: key).decodeString() }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try child(for: key).decodeDouble() }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try child(for: key).decodeDouble()) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try child(for: key).decodeInteger(type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try child(for: key).decodeInteger(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try child(for: key).decodeInteger(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try child(for: key).decodeInteger(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try child(for: key).decodeInteger(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try child(for: key).decodeInteger(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try child(for: key).decodeInteger(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try child(for: key).decodeInteger(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try child(for: key).decodeInteger(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try child(for: key).decodeInteger(type) }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type,
        forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try child(for: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try child(for: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }

    func superDecoder(forKey key: Key) throws -> any Decoder { try child(for: key) }
}
