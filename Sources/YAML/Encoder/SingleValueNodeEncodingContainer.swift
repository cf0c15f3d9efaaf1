/// Writes one value into the encoder's box.
struct SingleValueNodeEncodingContainer: SingleValueEncodingContainer {
    let encoder: NodeEncoder

    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws { encoder.encodeNil() }

    mutating func encode<T: Encodable>(_ value: T) throws { try encoder.encodeValue(value) }
}
