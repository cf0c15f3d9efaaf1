import YAML

extension Node {
    /// The node with the value at `path` (mapping keys) replaced by `transform` of it; unchanged when the path is
    /// not there.
    func replacing(_ path: [String], _ transform: (Node) -> Node) -> Node {
        guard let key = path.first, case .mapping(let pairs, let mark) = self else { return self }
        let rest = Array(path.dropFirst())
        return .mapping(
            pairs.map { pair in
                guard pair.key.scalarValue == key else { return pair }
                return Pair(
                    key: pair.key,
                    value: rest.isEmpty ? transform(pair.value) : pair.value.replacing(rest, transform)
                )
            },
            mark: mark
        )
    }
}
