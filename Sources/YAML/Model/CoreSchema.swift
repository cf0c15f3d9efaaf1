/// The YAML 1.2 core-schema patterns, plus YAML 1.1 look-alikes used for hints and for quoting on output.
///
/// Hand-written matchers over UTF-8 rather than regular expressions: they run for every plain scalar.
enum CoreSchema {
    /// `null`, `Null`, `NULL`, `~` or empty.
    static func isNull(_ text: String) -> Bool {
        text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    /// `true`/`false` in the three spellings the core schema allows.
    static func bool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": true
        case "false", "False", "FALSE": false
        default: nil
        }
    }

    /// Whether the text is a core-schema int: `[-+]?[0-9]+`, `0o[0-7]+` or `0x[0-9a-fA-F]+`.
    static func matchesInt(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        if bytes.count > 2, bytes[0] == UInt8(ascii: "0") {
            if bytes[1] == UInt8(ascii: "o") { return bytes[2...].allSatisfy(isOctalDigit) }
            if bytes[1] == UInt8(ascii: "x") { return bytes[2...].allSatisfy(isHexDigit) }
        }
        var digits = bytes[...]
        if let first = digits.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            digits = digits.dropFirst()
        }
        return !digits.isEmpty && digits.allSatisfy(isDigit)
    }

    /// The value of a core-schema int, or `nil` when the text is not one or does not fit in `Int`.
    static func int(_ text: String) -> Int? {
        guard matchesInt(text) else { return nil }
        if text.hasPrefix("0o") { return Int(text.dropFirst(2), radix: 8) }
        if text.hasPrefix("0x") { return Int(text.dropFirst(2), radix: 16) }
        return Int(text.hasPrefix("+") ? String(text.dropFirst()) : text, radix: 10)
    }

    /// The value of a core-schema float (`[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `.inf`, `.nan`).
    /// Ints match too (`12` → 12.0).
    static func float(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        guard matchesFloat(text) else { return nil }
        return Double(text)
    }

    private static func matchesFloat(_ text: String) -> Bool {
        var rest = Array(text.utf8)[...]
        if let first = rest.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { rest = rest.dropFirst() }
        let integerDigits = rest.prefix(while: isDigit).count
        rest = rest.dropFirst(integerDigits)
        var fractionDigits = 0
        if rest.first == UInt8(ascii: ".") {
            rest = rest.dropFirst()
            fractionDigits = rest.prefix(while: isDigit).count
            rest = rest.dropFirst(fractionDigits)
        }
        guard integerDigits > 0 || fractionDigits > 0 else { return false }
        if let e = rest.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            rest = rest.dropFirst()
            if let sign = rest.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { rest = rest.dropFirst() }
            let exponentDigits = rest.prefix(while: isDigit).count
            guard exponentDigits > 0 else { return false }
            rest = rest.dropFirst(exponentDigits)
        }
        return rest.isEmpty
    }

    /// YAML 1.1 booleans that YAML 1.2 reads as strings (`yes`, `On`, `n`…): kubectl still reads them as booleans.
    static func isYAML11Bool(_ text: String) -> Bool {
        switch text.lowercased() {
        case "yes", "no", "on", "off", "y", "n": true
        default: false
        }
    }

    /// Whether some YAML 1.1 reader (kubectl, Go yaml.v2) could read the plain text as something other than a
    /// string: 1.1 booleans, `0b…`/leading-zero/underscore numbers, sexagesimal `1:30`, dates, `=`, `<<`.
    static func isYAML11NonString(_ text: String) -> Bool {
        if isYAML11Bool(text) || text == "=" || text == "<<" { return true }
        let bytes = Array(text.utf8)
        guard let first = bytes.first else { return false }
        let startsNumeric =
            isDigit(first) || first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
        guard startsNumeric else { return false }
        // Anything made only of number characters might be a 1.1 number or timestamp: quote it.
        let numberish = bytes.allSatisfy { byte in
            isHexDigit(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "x")
                || byte == UInt8(ascii: "o") || byte == UInt8(ascii: "b") || byte == UInt8(ascii: "T")
                || byte == UInt8(ascii: "t") || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "Z")
        }
        return numberish && bytes.contains(where: isDigit)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    static func isOctalDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "7") }
    static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }
}
