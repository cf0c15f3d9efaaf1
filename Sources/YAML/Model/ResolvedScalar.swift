/// A scalar's typed value under the YAML 1.2 core schema.
///
/// Only plain (unquoted) scalars are typed: `on`, `yes` and `NO` are strings, `0x1F` is an int, `1e3` and `6.0`
/// are floats, `"6.0.1"` and every quoted or block scalar is a string.
public enum ResolvedScalar: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)

    static let strTag = "tag:yaml.org,2002:str"
    static let intTag = "tag:yaml.org,2002:int"
    static let floatTag = "tag:yaml.org,2002:float"
    static let boolTag = "tag:yaml.org,2002:bool"
    static let nullTag = "tag:yaml.org,2002:null"

    /// Resolves `scalar`: an explicit core tag decides when its text parses as that type; otherwise quoted and
    /// block scalars (and unknown tags) are strings and plain scalars go through the core-schema patterns.
    static func resolve(_ scalar: Scalar) -> ResolvedScalar {
        switch scalar.tag {
        case nil:
            guard scalar.style == .plain else { return .string(scalar.value) }
            return resolvePlain(scalar.value)
        case strTag:
            return .string(scalar.value)
        case intTag:
            if let value = CoreSchema.int(scalar.value) { return .int(value) }
            return .string(scalar.value)
        case floatTag:
            if let value = CoreSchema.float(scalar.value) ?? CoreSchema.int(scalar.value).map(Double.init) {
                return .float(value)
            }
            return .string(scalar.value)
        case boolTag:
            if let value = CoreSchema.bool(scalar.value) { return .bool(value) }
            return .string(scalar.value)
        case nullTag:
            return .null
        default:
            return .string(scalar.value)
        }
    }

    /// The core-schema type of a plain scalar's text.
    static func resolvePlain(_ text: String) -> ResolvedScalar {
        if CoreSchema.isNull(text) { return .null }
        if let value = CoreSchema.bool(text) { return .bool(value) }
        if CoreSchema.matchesInt(text) {
            // An integer too large for Int is still a number; keep it as a float rather than a string.
            if let value = CoreSchema.int(text) { return .int(value) }
            if let value = Double(text) { return .float(value) }
        }
        if let value = CoreSchema.float(text) { return .float(value) }
        return .string(text)
    }
}
