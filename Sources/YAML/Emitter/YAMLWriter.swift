/// Renders a node tree as block-style YAML, two spaces per level.
struct YAMLWriter {
    private(set) var output = ""

    mutating func writeDocument(_ node: Node) {
        switch node {
        case .scalar(let scalar):
            output += scalarText(scalar, indent: 2, allowLiteral: true) + "\n"
        case .sequence(let items, _) where !items.isEmpty:
            writeSequence(items, indent: 0, inline: false)
        case .mapping(let pairs, _) where !pairs.isEmpty:
            writeMapping(pairs, indent: 0, inline: false)
        case .sequence:
            output += "[]\n"
        case .mapping:
            output += "{}\n"
        }
    }

    /// Entries at `indent`; with `inline`, the first one continues the current line (after `- `).
    private mutating func writeMapping(_ pairs: [Pair], indent: Int, inline: Bool) {
        for (position, pair) in pairs.enumerated() {
            if !(inline && position == 0) { output += String(repeating: " ", count: indent) }
            output += keyText(pair.key) + ":"
            writeValue(pair.value, indent: indent + 2, sequenceIndent: indent + 2)
        }
    }

    private mutating func writeSequence(_ items: [Node], indent: Int, inline: Bool) {
        for (position, item) in items.enumerated() {
            if !(inline && position == 0) { output += String(repeating: " ", count: indent) }
            output += "-"
            switch item {
            case .mapping(let pairs, _) where !pairs.isEmpty:
                output += " "
                writeMapping(pairs, indent: indent + 2, inline: true)
            case .sequence(let nested, _) where !nested.isEmpty:
                output += " "
                writeSequence(nested, indent: indent + 2, inline: true)
            default:
                writeValue(item, indent: indent + 2, sequenceIndent: indent + 2)
            }
        }
    }

    /// A value after `key:` or `-`: scalars and empty collections on the same line, others below.
    private mutating func writeValue(_ node: Node, indent: Int, sequenceIndent: Int) {
        switch node {
        case .scalar(let scalar):
            output += " " + scalarText(scalar, indent: indent, allowLiteral: true) + "\n"
        case .mapping(let pairs, _):
            if pairs.isEmpty {
                output += " {}\n"
            } else {
                output += "\n"
                writeMapping(pairs, indent: indent, inline: false)
            }
        case .sequence(let items, _):
            if items.isEmpty {
                output += " []\n"
            } else {
                output += "\n"
                writeSequence(items, indent: sequenceIndent, inline: false)
            }
        }
    }

    private func keyText(_ key: Node) -> String {
        guard case .scalar(let scalar) = key else { return JSONWriter.compact(key) }
        return scalarText(scalar, indent: 0, allowLiteral: false)
    }

    private func scalarText(_ scalar: Scalar, indent: Int, allowLiteral: Bool) -> String {
        let resolved = scalar.resolved
        if let text = ScalarFormatter.plainText(resolved, original: scalar.value) { return text }
        if ScalarFormatter.canBePlain(scalar.value) { return scalar.value }
        if allowLiteral && ScalarFormatter.canBeLiteral(scalar.value) {
            return ScalarFormatter.literal(scalar.value, indent: indent)
        }
        return ScalarFormatter.quoted(scalar.value)
    }
}
