/// A YAML value tree with the source position of every node.
///
/// Aliases are expanded and `<<` merge keys applied by the parser, so a `Node` is always a plain tree.
/// Equality compares marks too; use ``hasSameContent(as:)`` to compare values only.
public indirect enum Node: Sendable, Hashable {
    case scalar(Scalar)
    case sequence([Node], mark: Mark)
    /// Entries in the order they were written.
    case mapping([Pair], mark: Mark)

    /// Where the node starts in the source.
    public var mark: Mark {
        switch self {
        case .scalar(let scalar): scalar.mark
        case .sequence(_, let mark), .mapping(_, let mark): mark
        }
    }

    /// The value of the entry whose key is the scalar `key`, when this is a mapping.
    public subscript(key: String) -> Node? {
        guard case .mapping(let pairs, _) = self else { return nil }
        return pairs.first { $0.key.scalarValue == key }?.value
    }

    /// The element at `index`, when this is a sequence and the index is in range.
    public subscript(index: Int) -> Node? {
        guard case .sequence(let items, _) = self, items.indices.contains(index) else { return nil }
        return items[index]
    }

    /// Follows a path of keys; a numeric component indexes a sequence (`["spec", "containers", "0", "image"]`).
    public func find(_ path: [String]) -> Node? {
        var node = self
        for component in path {
            switch node {
            case .sequence:
                guard let index = Int(component), let next = node[index] else { return nil }
                node = next
            case .mapping:
                guard let next = node[component] else { return nil }
                node = next
            case .scalar:
                return nil
            }
        }
        return node
    }

    /// The scalar's text, or `nil` for a sequence or mapping.
    public var scalarValue: String? {
        guard case .scalar(let scalar) = self else { return nil }
        return scalar.value
    }

    /// True for a null scalar: plain `null`/`Null`/`NULL`/`~`/empty, or one tagged `!!null`.
    public var isNull: Bool {
        guard case .scalar(let scalar) = self else { return false }
        return scalar.resolved == .null
    }

    /// The scalar's value under the YAML 1.2 core schema, or `nil` for a sequence or mapping.
    public var resolved: ResolvedScalar? {
        guard case .scalar(let scalar) = self else { return nil }
        return scalar.resolved
    }

    /// The entries of a mapping, or `nil`.
    public var pairs: [Pair]? {
        guard case .mapping(let pairs, _) = self else { return nil }
        return pairs
    }

    /// The elements of a sequence, or `nil`.
    public var items: [Node]? {
        guard case .sequence(let items, _) = self else { return nil }
        return items
    }

    /// True when both trees hold the same values, ignoring marks and scalar styles: `"6.0"` and `'6.0'` are the
    /// same, but the plain `6.0` (a float) is not the same as the quoted `"6.0"` (a string).
    public func hasSameContent(as other: Node) -> Bool {
        switch (self, other) {
        case (.scalar(let lhs), .scalar(let rhs)):
            return lhs.resolved == rhs.resolved
        case (.sequence(let lhs, _), .sequence(let rhs, _)):
            return lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { $0.hasSameContent(as: $1) }
        case (.mapping(let lhs, _), .mapping(let rhs, _)):
            return lhs.count == rhs.count
                && zip(lhs, rhs).allSatisfy {
                    $0.key.hasSameContent(as: $1.key) && $0.value.hasSameContent(as: $1.value)
                }
        default:
            return false
        }
    }
}
