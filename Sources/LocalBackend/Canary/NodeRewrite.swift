import YAML

/// Small edits of kept-as-written manifest nodes (env `valueFrom`, `envFrom`).
enum NodeRewrite {
    /// `node` with `suffix` appended to the scalar at each of `paths` that exists.
    static func appendingSuffix(_ suffix: String, at paths: [[String]], in node: Node) -> Node {
        paths.reduce(node) { node, path in
            node.replacing(path) { value in
                guard case .scalar(var scalar) = value else { return value }
                scalar.value += suffix
                return .scalar(scalar)
            }
        }
    }

    /// The same for every item of a sequence.
    static func appendingSuffixToItems(_ suffix: String, at paths: [[String]], in node: Node) -> Node {
        guard case .sequence(let items, let mark) = node else { return node }
        return .sequence(items.map { appendingSuffix(suffix, at: paths, in: $0) }, mark: mark)
    }
}
