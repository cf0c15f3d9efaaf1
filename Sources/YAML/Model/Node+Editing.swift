/// Path edits of a node tree, for manifests kept as written: the one place that rebuilds a tree along a path, so
/// every edit keeps the other entries, their order and their marks.
///
/// A path is a list of mapping keys; a numeric component indexes a sequence, as in ``Node/find(_:)``.
extension Node {
    /// The node with the value at `path` replaced by `transform` of it; unchanged when the path is not there.
    public func replacing(_ path: [String], _ transform: (Node) -> Node) -> Node {
        replacing(path[...], transform)
    }

    private func replacing(_ path: ArraySlice<String>, _ transform: (Node) -> Node) -> Node {
        guard let component = path.first else { return transform(self) }
        let rest = path.dropFirst()
        switch self {
        case .mapping(let pairs, let mark):
            guard pairs.contains(where: { $0.key.scalarValue == component }) else { return self }
            return .mapping(
                pairs.map { pair in
                    guard pair.key.scalarValue == component else { return pair }
                    return Pair(key: pair.key, value: pair.value.replacing(rest, transform))
                },
                mark: mark
            )
        case .sequence(var items, let mark):
            guard let index = Int(component), items.indices.contains(index) else { return self }
            items[index] = items[index].replacing(rest, transform)
            return .sequence(items, mark: mark)
        case .scalar:
            return self
        }
    }

    /// The node with `value` at `path` (mapping keys): an entry that exists keeps its place, a missing key is
    /// appended to its mapping, and a missing step, or one that is not a mapping (a null `labels:` with every label
    /// commented out), becomes a mapping. A numeric component indexes an existing sequence element. Unchanged when
    /// the node itself is neither a mapping nor a sequence, or an index is out of range.
    public func setting(_ path: [String], to value: Node) -> Node {
        setting(path[...], to: value)
    }

    private func setting(_ path: ArraySlice<String>, to value: Node) -> Node {
        guard let component = path.first else { return value }
        let rest = path.dropFirst()
        switch self {
        case .mapping(var pairs, let mark):
            if let index = pairs.firstIndex(where: { $0.key.scalarValue == component }) {
                let child = pairs[index].value
                let base = rest.isEmpty || child.pairs != nil || child.items != nil ? child : .mapping([], mark: mark)
                pairs[index] = Pair(key: pairs[index].key, value: base.setting(rest, to: value))
            } else {
                let child = Node.mapping([], mark: mark).setting(rest, to: value)
                pairs.append(Pair(key: .scalar(Scalar(value: component)), value: child))
            }
            return .mapping(pairs, mark: mark)
        case .sequence(var items, let mark):
            guard let index = Int(component), items.indices.contains(index) else { return self }
            items[index] = items[index].setting(rest, to: value)
            return .sequence(items, mark: mark)
        case .scalar:
            return self
        }
    }
}
