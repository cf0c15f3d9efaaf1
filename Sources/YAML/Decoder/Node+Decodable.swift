/// Decoding a `Node` through ``YAMLDecoder`` yields the raw subtree with its marks, and nothing below it counts
/// as an unknown key. Through other decoders (for example `JSONDecoder`) the node is rebuilt from the values,
/// with every mark at 1:1.
extension Node: Decodable {
    public init(from decoder: any Decoder) throws {
        if let decoder = decoder as? NodeDecoder {
            decoder.context.tolerateUnknownKeys(below: decoder.codingPath)
            self = decoder.node
            return
        }
        let mark = Mark(line: 1, column: 1)
        if let container = try? decoder.container(keyedBy: NameKey.self) {
            var pairs: [Pair] = []
            for key in container.allKeys {
                let value = try container.decode(Node.self, forKey: key)
                pairs.append(Pair(key: .scalar(Scalar(value: key.stringValue, mark: mark)), value: value))
            }
            self = .mapping(pairs, mark: mark)
        } else if var container = try? decoder.unkeyedContainer() {
            var items: [Node] = []
            while !container.isAtEnd { items.append(try container.decode(Node.self)) }
            self = .sequence(items, mark: mark)
        } else {
            let container = try decoder.singleValueContainer()
            self = .scalar(Self.scalar(from: container, mark: mark))
        }
    }

    private static func scalar(from container: any SingleValueDecodingContainer, mark: Mark) -> Scalar {
        if container.decodeNil() { return Scalar(value: "null", mark: mark) }
        if let value = try? container.decode(Bool.self) { return Scalar(value: "\(value)", mark: mark) }
        if let value = try? container.decode(Int.self) { return Scalar(value: "\(value)", mark: mark) }
        if let value = try? container.decode(Double.self) { return Scalar(value: "\(value)", mark: mark) }
        let text = (try? container.decode(String.self)) ?? ""
        return Scalar(value: text, style: .doubleQuoted, mark: mark)
    }
}
