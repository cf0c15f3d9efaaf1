/// How scalars are written: plain only when every YAML reader (1.1 and 1.2) reads the text back as the same
/// value; otherwise double-quoted, or a literal block for multi-line text.
enum ScalarFormatter {
    /// The text of a typed value, written so YAML 1.1 readers (kubectl) agree with YAML 1.2.
    static func plainText(_ value: ResolvedScalar, original: String) -> String? {
        switch value {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return "\(value)"
        case .float(let value): return floatText(value, original: original)
        case .string: return nil
        }
    }

    static func floatText(_ value: Double, original: String) -> String {
        if value.isNaN { return ".nan" }
        if value.isInfinite { return value < 0 ? "-.inf" : ".inf" }
        if isSimpleDecimal(original) { return original }
        var text = "\(value)"
        // YAML 1.1 floats need a dot: write 1.0e+20, not 1e+20.
        if !text.contains("."), let exponent = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            text.insert(contentsOf: ".0", at: exponent)
        }
        return text
    }

    /// `-?[0-9]+\.[0-9]+`: readable as the same float by every YAML and JSON reader.
    static func isSimpleDecimal(_ text: String) -> Bool {
        let body = text.hasPrefix("-") ? text.utf8.dropFirst() : text.utf8[...]
        guard let dot = body.firstIndex(of: UInt8(ascii: ".")) else { return false }
        let whole = body[..<dot]
        let fraction = body[body.index(after: dot)...]
        return !whole.isEmpty && !fraction.isEmpty && whole.allSatisfy(CoreSchema.isDigit)
            && fraction.allSatisfy(CoreSchema.isDigit) && !(whole.count > 1 && whole.first == UInt8(ascii: "0"))
    }

    /// Whether a string can be written plain and still read back as that same string under YAML 1.1 and 1.2.
    static func canBePlain(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        guard ResolvedScalar.resolvePlain(text) == .string(text), !CoreSchema.isYAML11NonString(text) else {
            return false
        }
        guard first != " ", last != " ", last != ":", !text.hasPrefix("- "), !text.hasPrefix("---"),
            !text.hasPrefix("...")
        else {
            return false
        }
        guard isSafeFirst(first), text.count > 1 || first != "-" else { return false }
        var previous: Unicode.Scalar = first
        for character in text.unicodeScalars {
            guard isSafe(character) else { return false }
            if previous == ":" && character == " " { return false }
            if previous == " " && character == "#" { return false }
            previous = character
        }
        return true
    }

    private static func isSafeFirst(_ character: Unicode.Scalar) -> Bool {
        character.properties.isAlphabetic || ("0"..."9").contains(character)
            || "/._-$(".unicodeScalars.contains(character)
    }

    private static func isSafe(_ character: Unicode.Scalar) -> Bool {
        if character.value > 0x7F {
            return character.properties.isAlphabetic || character.properties.numericType != nil
        }
        return ("a"..."z").contains(character) || ("A"..."Z").contains(character) || ("0"..."9").contains(character)
            || " -_./:+=@()~^$%;<>?".unicodeScalars.contains(character)
    }

    /// Whether multi-line text can be a literal block (`|`) that reads back exactly.
    static func canBeLiteral(_ text: String) -> Bool {
        guard text.contains("\n"), let first = text.unicodeScalars.first, first != " ", first != "\t", first != "\n"
        else { return false }
        return text.unicodeScalars.allSatisfy { character in
            character == "\n" || character == "\t"
                || (character.value >= 0x20 && character.value != 0x7F
                    && character.value != 0x85 && character.value != 0x2028 && character.value != 0x2029
                    && character.value != 0xFEFF && !(0x80...0x9F).contains(character.value))
        }
    }

    /// A literal block scalar whose content lines are indented by `indent` spaces, without a final newline
    /// after the header line's content (the caller ends the line).
    static func literal(_ text: String, indent: Int) -> String {
        var content = Substring(text)
        let chomping: String
        if content.hasSuffix("\n") {
            chomping = content.hasSuffix("\n\n") ? "+" : ""
            content = content.dropLast()
        } else {
            chomping = "-"
        }
        let padding = String(repeating: " ", count: indent)
        var output = "|" + chomping
        for line in content.split(separator: "\n", omittingEmptySubsequences: false) {
            output += line.isEmpty ? "\n" : "\n" + padding + line
        }
        return output
    }

    /// A double-quoted scalar: ``JSONText/string(_:)``, whose escapes (`\n`, `\"`, `\uXXXX`) mean the same in YAML.
    static func quoted(_ text: String) -> String { JSONText.string(text) }
}
