/// Renders a node tree as JSON with YAML 1.2 core-schema typing of plain scalars; strings and numbers are written by
/// ``JSONText``.
///
/// Keys are always strings; `.inf` and `.nan`, which JSON cannot hold, become the strings `".inf"`/`".nan"`.
struct JSONWriter {
    private(set) var output = ""
    let pretty: Bool

    init(pretty: Bool) { self.pretty = pretty }

    static func compact(_ node: Node) -> String {
        var writer = JSONWriter(pretty: false)
        writer.write(node, indent: 0)
        return writer.output
    }

    mutating func write(_ node: Node, indent: Int) {
        switch node {
        case .scalar(let scalar):
            output += Self.scalarText(scalar)
        case .sequence(let items, _):
            guard !items.isEmpty else {
                output += "[]"
                return
            }
            output += "["
            for (position, item) in items.enumerated() {
                if position > 0 { output += "," }
                newline(indent + 1)
                write(item, indent: indent + 1)
            }
            newline(indent)
            output += "]"
        case .mapping(let pairs, _):
            guard !pairs.isEmpty else {
                output += "{}"
                return
            }
            output += "{"
            for (position, pair) in pairs.enumerated() {
                if position > 0 { output += "," }
                newline(indent + 1)
                output += JSONText.string(pair.key.scalarValue ?? Self.compact(pair.key))
                output += pretty ? ": " : ":"
                write(pair.value, indent: indent + 1)
            }
            newline(indent)
            output += "}"
        }
    }

    private mutating func newline(_ indent: Int) {
        guard pretty else { return }
        output += "\n" + String(repeating: "  ", count: indent)
    }

    static func scalarText(_ scalar: Scalar) -> String {
        switch scalar.resolved {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return "\(value)"
        case .float(let value):
            guard value.isFinite else { return JSONText.string(scalar.value) }
            if ScalarFormatter.isSimpleDecimal(scalar.value) { return scalar.value }
            return JSONText.exactNumber(value)
        case .string(let value): return JSONText.string(value)
        }
    }
}
