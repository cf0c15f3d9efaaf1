/// Encodes the tree with its core-schema types: through ``YAMLEncoder`` the subtree is kept as is; through
/// other encoders (`JSONEncoder`) plain scalars become null, booleans and numbers, everything else strings.
extension Node: Encodable {
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .mapping(let pairs, _):
            var container = encoder.container(keyedBy: NameKey.self)
            for pair in pairs {
                try container.encode(pair.value, forKey: NameKey(pair.key.scalarValue ?? JSONWriter.compact(pair.key)))
            }
        case .sequence(let items, _):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(item) }
        case .scalar(let scalar):
            var container = encoder.singleValueContainer()
            switch scalar.resolved {
            case .null: try container.encodeNil()
            case .bool(let value): try container.encode(value)
            case .int(let value): try container.encode(value)
            case .float(let value): try container.encode(value)
            case .string(let value): try container.encode(value)
            }
        }
    }
}
