/// A node under construction: containers hand out boxes that nested encoders fill in later.
final class EncodingBox {
    private enum Content {
        case unset
        case scalar(Scalar)
        case node(Node)
        case sequence([EncodingBox])
        case mapping(keys: [String], values: [String: EncodingBox])
    }

    private var content = Content.unset

    func set(_ scalar: Scalar) { content = .scalar(scalar) }
    func set(_ node: Node) { content = .node(node) }

    /// Makes this box a mapping (keeping entries already written) and returns the box for `key`.
    func entry(_ key: String) -> EncodingBox {
        var keys: [String] = []
        var values: [String: EncodingBox] = [:]
        if case .mapping(let existingKeys, let existingValues) = content {
            keys = existingKeys
            values = existingValues
        }
        if let box = values[key] { return box }
        let box = EncodingBox()
        keys.append(key)
        values[key] = box
        content = .mapping(keys: keys, values: values)
        return box
    }

    func becomeMapping() {
        if case .mapping = content { return }
        content = .mapping(keys: [], values: [:])
    }

    /// Makes this box a sequence (keeping elements already written) and appends a new element box.
    func appendElement() -> EncodingBox {
        var elements: [EncodingBox] = []
        if case .sequence(let existing) = content { elements = existing }
        let box = EncodingBox()
        elements.append(box)
        content = .sequence(elements)
        return box
    }

    func becomeSequence() {
        if case .sequence = content { return }
        content = .sequence([])
    }

    var count: Int {
        switch content {
        case .sequence(let elements): elements.count
        case .mapping(let keys, _): keys.count
        default: 0
        }
    }

    /// The finished tree; a value that encoded nothing becomes an empty mapping.
    func build() -> Node {
        let mark = Mark(line: 1, column: 1)
        switch content {
        case .unset:
            return .mapping([], mark: mark)
        case .scalar(let scalar):
            return .scalar(scalar)
        case .node(let node):
            return node
        case .sequence(let elements):
            return .sequence(elements.map { $0.build() }, mark: mark)
        case .mapping(let keys, let values):
            let pairs = keys.map { key in
                Pair(key: .scalar(Scalar(value: key, style: .doubleQuoted, mark: mark)), value: values[key]!.build())
            }
            return .mapping(pairs, mark: mark)
        }
    }
}
