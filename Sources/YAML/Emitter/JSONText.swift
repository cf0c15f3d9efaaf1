import Foundation

/// The one JSON writer of the harness, for text whose key order is part of its format (timelines, `analyze` output,
/// JSON manifests): values are encoded here and objects are built from already-encoded values in the given order.
/// Foundation's `JSONEncoder` does not promise an order; where the order does not matter, use it instead.
///
/// Every string and number it writes parses back with Foundation's `JSONSerialization` to what was written
/// (YAMLTests/JSONTextTests checks random strings and doubles). Its string escapes also mean the same in a YAML
/// double-quoted scalar, so the YAML emitter quotes with it too.
public enum JSONText {
    /// A quoted string. Control characters, DEL, C1 controls, U+2028/U+2029 and the byte-order mark are escaped as
    /// `\uXXXX` (YAML readers reject or fold them raw; JSON readers accept both).
    public static func string(_ value: String) -> String {
        var output = "\""
        for character in value.unicodeScalars {
            switch character {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\t": output += "\\t"
            case "\r": output += "\\r"
            default:
                let code = character.value
                if code < 0x20 || code == 0x7F || (0x80...0x9F).contains(code) || code == 0x2028 || code == 0x2029
                    || code == 0xFEFF
                {
                    let hex = String(code, radix: 16, uppercase: true)
                    output += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                } else {
                    output.unicodeScalars.append(character)
                }
            }
        }
        return output + "\""
    }

    /// A number to the millisecond (seconds and latencies in timelines): integers without a fraction, others with up
    /// to 3 decimals; `null` for infinities and NaN, which JSON cannot hold.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        var text = String(format: "%.3f", value)
        while text.hasSuffix("0") { text.removeLast() }
        // 6.9996 rounds to "7.000": without its zeros "7." is not a JSON number.
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    /// A number exactly: the shortest text that reads back as the same double (`0.1`, `1e-05`, `-0.0`); `null` for
    /// infinities and NaN.
    public static func exactNumber(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "null"
    }

    /// `{"k":v,…}` from already-encoded values, in the given order.
    public static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    /// `[v,…]` from already-encoded values.
    public static func array(_ values: [String]) -> String {
        "[" + values.joined(separator: ",") + "]"
    }
}
