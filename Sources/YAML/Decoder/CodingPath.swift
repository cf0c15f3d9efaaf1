/// A coding-path component for a sequence element, rendered as `[index]` in messages.
struct IndexKey: CodingKey {
    var index: Int

    init(_ index: Int) { self.index = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.index = intValue }

    var stringValue: String { "\(index)" }
    var intValue: Int? { index }
}

/// A coding-path component for a mapping key read by string.
struct NameKey: CodingKey {
    var stringValue: String

    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { stringValue = "\(intValue)" }

    var intValue: Int? { nil }
}

enum CodingPath {
    /// `spec.template.spec.containers[0].image`.
    static func render(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key as? IndexKey {
                text += "[\(index.index)]"
            } else {
                if !text.isEmpty { text += "." }
                text += key.stringValue
            }
        }
        return text
    }

    /// `"path: message"`, or just the message at the document root.
    static func message(_ path: [any CodingKey], _ message: String) -> String {
        let rendered = render(path)
        return rendered.isEmpty ? message : "\(rendered): \(message)"
    }

    /// The node a coding path leads to from `root` (as far as it goes), for errors that only carry a path.
    static func node(at path: [any CodingKey], from root: Node) -> Node {
        var node = root
        for key in path {
            switch node {
            case .sequence(let items, _):
                guard let index = key.intValue, items.indices.contains(index) else { return node }
                node = items[index]
            case .mapping(let pairs, _):
                guard let pair = pairs.first(where: { $0.key.scalarValue == key.stringValue }) else { return node }
                node = pair.value
            case .scalar:
                return node
            }
        }
        return node
    }
}
