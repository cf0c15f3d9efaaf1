extension NodeDecoder {
    /// The value for scalar-like targets (`Node`, `String`, `Bool`, integers, floats); `nil` for other types.
    func decodeScalar<T>(_ type: T.Type) throws -> T? {
        if type == Node.self { return node as? T }
        if type == String.self { return try decodeString() as? T }
        if type == Bool.self { return try decodeBool() as? T }
        if type == Double.self { return try decodeDouble() as? T }
        if type == Float.self { return try Float(decodeDouble()) as? T }
        if let integerType = type as? any FixedWidthInteger.Type {
            return try decodeInteger(integerType) as? T
        }
        return nil
    }

    func decodeNil() -> Bool { node.isNull }

    func decodeString() throws -> String {
        guard case .scalar(let scalar) = node else { throw mismatch("a string") }
        return scalar.value
    }

    func decodeBool() throws -> Bool {
        let expected = "a boolean (true or false)"
        guard case .scalar(let scalar) = node else { throw mismatch(expected) }
        if case .bool(let value) = scalar.resolved { return value }
        if scalar.style == .plain && CoreSchema.isYAML11Bool(scalar.value) {
            let meaning = ["yes", "on", "y"].contains(scalar.value.lowercased())
            throw mismatch(expected, hint: "a YAML 1.1 boolean; write \(meaning)")
        }
        throw mismatch(expected, hint: quotedHint(scalar, CoreSchema.bool(scalar.value) != nil))
    }

    func decodeDouble() throws -> Double {
        let expected = "a number"
        guard case .scalar(let scalar) = node else { throw mismatch(expected) }
        switch scalar.resolved {
        case .int(let value): return Double(value)
        case .float(let value): return value
        default: throw mismatch(expected, hint: quotedHint(scalar, CoreSchema.float(scalar.value) != nil))
        }
    }

    func decodeInteger<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        let expected = "an integer"
        guard case .scalar(let scalar) = node else { throw mismatch(expected) }
        switch scalar.resolved {
        case .int(let value):
            guard let result = I(exactly: value) else { throw outOfRange(scalar, type) }
            return result
        case .float where CoreSchema.matchesInt(scalar.value):
            // Too large for Int, but maybe not for UInt64.
            let digits = scalar.value.hasPrefix("+") ? String(scalar.value.dropFirst()) : scalar.value
            if let value = I(digits, radix: 10) { return value }
            if scalar.value.hasPrefix("0x"), let value = I(scalar.value.dropFirst(2), radix: 16) { return value }
            throw outOfRange(scalar, type)
        default:
            throw mismatch(expected, hint: quotedHint(scalar, CoreSchema.int(scalar.value) != nil))
        }
    }

    private func outOfRange<I: FixedWidthInteger>(_ scalar: Scalar, _ type: I.Type) -> Diagnostic {
        context.diagnostic(
            "integer \(scalar.value) is out of range (\(I.min)...\(I.max))",
            at: node,
            path: codingPath
        )
    }

    /// "quoted, so a string; remove the quotes" when a quoted scalar would have been the right type unquoted.
    private func quotedHint(_ scalar: Scalar, _ wouldMatch: Bool) -> String? {
        guard wouldMatch && scalar.style != .plain && scalar.tag == nil else { return nil }
        return "quoted, so it is a string; remove the quotes"
    }
}
