/// A JSON value whose objects keep their keys in the order they were given, so a response can copy the field order of
/// podinfo's Go structs (maps are sorted by the caller, as `encoding/json` does).
public indirect enum GoJSON: Sendable, Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case array([GoJSON])
    case object([(String, GoJSON)])
    case null

    public static func == (lhs: GoJSON, rhs: GoJSON) -> Bool {
        lhs.compact == rhs.compact
    }

    /// An object from a dictionary, keys sorted bytewise like Go's `encoding/json` does for maps.
    public static func sortedObject(_ map: [String: GoJSON]) -> GoJSON {
        .object(map.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) })
    }

    /// `json.Marshal` then `json.Indent(out, b, "", "  ")`: two-space indent, `"key": value`, empty containers kept as
    /// `{}`/`[]`, no trailing newline.
    public var pretty: String {
        var out = ""
        write(into: &out, indent: 0, pretty: true)
        return out
    }

    /// `json.Marshal` output: no whitespace at all.
    public var compact: String {
        var out = ""
        write(into: &out, indent: 0, pretty: false)
        return out
    }

    private func write(into out: inout String, indent: Int, pretty: Bool) {
        switch self {
        case .string(let value):
            GoJSON.appendQuoted(value, to: &out)
        case .int(let value):
            out += String(value)
        case .bool(let value):
            out += value ? "true" : "false"
        case .null:
            out += "null"
        case .array(let elements):
            guard !elements.isEmpty else {
                out += "[]"
                return
            }
            out += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { out += "," }
                if pretty { GoJSON.newline(&out, indent + 1) }
                element.write(into: &out, indent: indent + 1, pretty: pretty)
            }
            if pretty { GoJSON.newline(&out, indent) }
            out += "]"
        case .object(let members):
            guard !members.isEmpty else {
                out += "{}"
                return
            }
            out += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out += "," }
                if pretty { GoJSON.newline(&out, indent + 1) }
                GoJSON.appendQuoted(key, to: &out)
                out += pretty ? ": " : ":"
                value.write(into: &out, indent: indent + 1, pretty: pretty)
            }
            if pretty { GoJSON.newline(&out, indent) }
            out += "}"
        }
    }

    private static func newline(_ out: inout String, _ level: Int) {
        out += "\n"
        out += String(repeating: "  ", count: level)
    }

    private static let hexDigits = Array("0123456789abcdef")

    /// Go's string encoding with HTML escaping on: `<`, `>`, `&`, U+2028 and U+2029 become `\uXXXX`; control
    /// characters use the short escapes Go 1.22+ knows (`\b \f \n \r \t`) and `\u00xx` otherwise; `/` is left alone.
    public static func appendQuoted(_ value: String, to out: inout String) {
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                out += unicodeEscape(scalar.value)
            default:
                if scalar.value < 0x20 {
                    out += unicodeEscape(scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    private static func unicodeEscape(_ value: UInt32) -> String {
        var text = "\\u"
        for shift in stride(from: 12, through: 0, by: -4) {
            text.append(hexDigits[Int((value >> UInt32(shift)) & 0xF)])
        }
        return text
    }
}
