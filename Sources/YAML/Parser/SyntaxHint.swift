/// Turns libyaml's terse syntax errors about indentation into messages that point at the line to fix.
enum SyntaxHint {
    static func explain(
        problem: String,
        message: String,
        at mark: Mark,
        in bytes: UnsafeMutableBufferPointer<UInt8>
    ) -> (mark: Mark, message: String) {
        let line = lineText(mark.line, in: bytes)
        let problemCharacter = mark.column - 1 < line.count ? line[mark.column - 1] : nil
        switch problem {
        case "found character that cannot start any token" where problemCharacter == "\t":
            return (mark, "tabs cannot indent YAML; use spaces (\(message))")
        case "mapping values are not allowed in this context":
            // A key indented deeper than its siblings continues the previous line's plain value, so libyaml
            // only notices at the colon. Point at the start of the line instead, unless the line itself
            // holds a `key: value: value` mistake.
            guard let start = line.firstIndex(where: { $0 != " " }), start < mark.column - 1 else {
                return (mark, message)
            }
            let beforeColon = String(String.UnicodeScalarView(line[start..<(mark.column - 1)]))
            guard !beforeColon.contains(": "), !beforeColon.hasPrefix("- ") else { return (mark, message) }
            return (
                Mark(line: mark.line, column: start + 1),
                "bad indentation of a mapping entry: this key is indented deeper than the keys before it (\(message))"
            )
        case "did not find expected key", "did not find expected '-' indicator":
            return (mark, "bad indentation: \(message)")
        default:
            return (mark, message)
        }
    }

    /// The Unicode scalars of 1-based line `number`, without its line break.
    private static func lineText(_ number: Int, in bytes: UnsafeMutableBufferPointer<UInt8>) -> [Unicode.Scalar] {
        var line = 1
        var start = 0
        var index = 0
        while index < bytes.count && line < number {
            if bytes[index] == UInt8(ascii: "\n") {
                line += 1
                start = index + 1
            }
            index += 1
        }
        var end = start
        while end < bytes.count && bytes[end] != UInt8(ascii: "\n") && bytes[end] != UInt8(ascii: "\r") { end += 1 }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        return Array(text.unicodeScalars)
    }
}
