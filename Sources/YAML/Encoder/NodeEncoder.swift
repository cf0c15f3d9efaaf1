/// The `Encoder` that fills one ``EncodingBox``.
struct NodeEncoder: Encoder {
    let box: EncodingBox
    let codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any]

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        box.becomeMapping()
        return KeyedEncodingContainer(KeyedNodeEncodingContainer<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        box.becomeSequence()
        return UnkeyedNodeEncodingContainer(encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleValueNodeEncodingContainer(encoder: self) }

    func child(_ box: EncodingBox, key: any CodingKey) -> NodeEncoder {
        NodeEncoder(box: box, codingPath: codingPath + [key], userInfo: userInfo)
    }

    /// Stores `value` in this encoder's box: scalars directly, a `Node` as its subtree, others via `encode(to:)`.
    func encodeValue<T: Encodable>(_ value: T) throws {
        switch value {
        case let node as Node: box.set(node)
        case let text as String: box.set(Self.string(text))
        case let flag as Bool: box.set(Self.plain(flag ? "true" : "false"))
        case let number as Double: box.set(Self.plain(Self.text(number)))
        case let number as Float: box.set(Self.plain(Self.text(Double(number))))
        case let integer as any FixedWidthInteger: box.set(Self.plain("\(integer)"))
        default: try value.encode(to: self)
        }
    }

    func encodeNil() { box.set(Self.plain("null")) }

    static func string(_ text: String) -> Scalar {
        Scalar(value: text, style: .doubleQuoted, mark: Mark(line: 1, column: 1))
    }

    static func plain(_ text: String) -> Scalar { Scalar(value: text, style: .plain, mark: Mark(line: 1, column: 1)) }

    static func text(_ number: Double) -> String {
        if number.isNaN { return ".nan" }
        if number.isInfinite { return number < 0 ? "-.inf" : ".inf" }
        return "\(number)"
    }
}
