import Foundation

/// Go's `fmt` spellings for the numbers that appear in Flagger's event texts, so messages match byte for byte.
enum GoFormat {
    /// `%v` of a float64: `strconv.FormatFloat(f, 'g', -1, 64)` — the shortest digits that round-trip, in `%e`
    /// form when the decimal exponent is < -4 or ≥ 6 ("if precision was the shortest possible, use precision 6 for
    /// this decision", strconv/ftoa.go). So 99 → "99", 0.5 → "0.5", 1000000 → "1e+06".
    static func value(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number < 0 ? "-Inf" : "+Inf" }
        if number == 0 { return number.sign == .minus ? "-0" : "0" }
        // Swift's description is also the shortest round-trip representation; take its digits and exponent.
        let (digits, pointPosition) = shortestDigits(abs(number))
        let sign = number < 0 ? "-" : ""
        let exponent = pointPosition - 1
        if exponent < -4 || exponent >= 6 {
            var mantissa = String(digits.first!)
            if digits.count > 1 { mantissa += "." + digits.dropFirst() }
            let magnitude = String(abs(exponent))
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (magnitude.count < 2 ? "0" : "") + magnitude
        }
        if pointPosition <= 0 {
            return sign + "0." + String(repeating: "0", count: -pointPosition) + digits
        }
        if pointPosition >= digits.count {
            return sign + digits + String(repeating: "0", count: pointPosition - digits.count)
        }
        let split = digits.index(digits.startIndex, offsetBy: pointPosition)
        return sign + digits[..<split] + "." + digits[split...]
    }

    /// Significant digits (no leading/trailing zeros) and the position of the decimal point relative to them.
    private static func shortestDigits(_ magnitude: Double) -> (String, Int) {
        let text = "\(magnitude)"
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        let point = mantissa.firstIndex(of: ".")
        let integerPart = point.map { mantissa[..<$0] } ?? mantissa
        let fractionPart = point.map { mantissa[mantissa.index(after: $0)...] } ?? ""
        var digits = String(integerPart) + fractionPart
        var pointPosition = integerPart.count + exponent
        while digits.first == "0" && digits.count > 1 {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.last == "0" && digits.count > 1 { digits.removeLast() }
        return (digits, pointPosition)
    }

    /// `%.2f`.
    static func twoDecimals(_ number: Double) -> String {
        String(format: "%.2f", number)
    }

    /// `time.Duration.String()` for a duration in nanoseconds (`600ms`, `1.5s`, `1m0s`, `0s`).
    static func duration(nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        var u = nanoseconds.magnitude
        var text: String
        if u < 1_000_000_000 {
            if u < 1_000 {
                text = "\(u)ns"
            } else if u < 1_000_000 {
                text = fraction(u, digits: 3) + "µs"
            } else {
                text = fraction(u, digits: 6) + "ms"
            }
        } else {
            let seconds = fraction(u, digits: 9)
            u /= 1_000_000_000
            // fraction() printed the whole seconds too; keep only the part below a minute.
            let fractionalPart = seconds.firstIndex(of: ".").map { String(seconds[$0...]) } ?? ""
            text = "\(u % 60)\(fractionalPart)s"
            u /= 60
            if u > 0 {
                text = "\(u % 60)m" + text
                u /= 60
                if u > 0 { text = "\(u)h" + text }
            }
        }
        return negative ? "-" + text : text
    }

    /// `value / 10^digits` with trailing zeros (and a bare point) removed.
    private static func fraction(_ value: UInt64, digits: Int) -> String {
        var scale: UInt64 = 1
        for _ in 0..<digits { scale *= 10 }
        let whole = value / scale
        var rest = value % scale
        guard rest != 0 else { return "\(whole)" }
        var width = digits
        while rest % 10 == 0 {
            rest /= 10
            width -= 1
        }
        let fractional = String(rest)
        return "\(whole)." + String(repeating: "0", count: width - fractional.count) + fractional
    }
}
