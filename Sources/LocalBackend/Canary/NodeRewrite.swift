import YAML

/// Small edits of kept-as-written manifest nodes (env `valueFrom`, `envFrom`).
enum NodeRewrite {
    /// `node` with `suffix` appended to the scalar at each of `paths` that exists.
    static func appendingSuffix(_ suffix: String, at paths: [[String]], in node: Node) -> Node {
        var node = node
        for path in paths { node = appendingSuffix(suffix, at: path[...], in: node) }
        return node
    }

    /// The same for every item of a sequence.
    static func appendingSuffixToItems(_ suffix: String, at paths: [[String]], in node: Node) -> Node {
        guard case .sequence(let items, let mark) = node else { return node }
        return .sequence(items.map { appendingSuffix(suffix, at: paths, in: $0) }, mark: mark)
    }

    private static func appendingSuffix(_ suffix: String, at path: ArraySlice<String>, in node: Node) -> Node {
        guard let key = path.first else {
            guard case .scalar(var scalar) = node else { return node }
            scalar.value += suffix
            return .scalar(scalar)
        }
        guard case .mapping(let pairs, let mark) = node else { return node }
        return .mapping(
            pairs.map { pair in
                guard pair.key.scalarValue == key else { return pair }
                return Pair(key: pair.key, value: appendingSuffix(suffix, at: path.dropFirst(), in: pair.value))
            },
            mark: mark
        )
    }
}
