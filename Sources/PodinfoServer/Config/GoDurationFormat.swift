/// Go's `time.Duration` text form: `ParseDuration` for flags such as `--server-shutdown-timeout=5s`, and `String()` for
/// messages such as `token is expired by 1m2.5s`. (Manifest fields, which keep their text as written, are
/// `ObjectModel.ManifestDuration`.)
public enum GoDurationFormat {
    /// Parses `300ms`, `1.5h`, `2m30s`, `-1s`, `0`. Units: ns, us (µs), ms, s, m, h.
    public static func parse(_ text: String) -> Duration? {
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return .zero }
        guard !rest.isEmpty else { return nil }
        var totalNanoseconds: Double = 0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { !($0.isNumber || $0 == ".") }
            rest = rest.dropFirst(unit.count)
            let scale: Double
            switch unit {
            case "ns": scale = 1
            case "us", "µs", "μs": scale = 1e3
            case "ms": scale = 1e6
            case "s": scale = 1e9
            case "m": scale = 60e9
            case "h": scale = 3600e9
            default: return nil
            }
            totalNanoseconds += value * scale
        }
        let nanoseconds = Int64(totalNanoseconds.rounded())
        return .nanoseconds(negative ? -nanoseconds : nanoseconds)
    }

    /// Go's `Duration.String()`: `1h2m3.5s`, `1.5ms`, `0s`.
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        var nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        if negative { nanoseconds = -nanoseconds }
        var text: String
        if nanoseconds < 1_000_000_000 {
            let (unit, divisor): (String, Int64) =
                nanoseconds < 1000 ? ("ns", 1) : nanoseconds < 1_000_000 ? ("µs", 1000) : ("ms", 1_000_000)
            text = fraction(nanoseconds, divisor: divisor) + unit
        } else {
            let hours = nanoseconds / 3_600_000_000_000
            let minutes = nanoseconds / 60_000_000_000 % 60
            let rest = nanoseconds % 60_000_000_000
            text = fraction(rest, divisor: 1_000_000_000) + "s"
            if hours > 0 {
                text = "\(hours)h\(minutes)m" + text
            } else if minutes > 0 {
                text = "\(minutes)m" + text
            }
        }
        return negative ? "-" + text : text
    }

    /// `value / divisor` with the fraction's trailing zeros removed.
    private static func fraction(_ value: Int64, divisor: Int64) -> String {
        let whole = value / divisor
        var remainder = value % divisor
        guard remainder != 0 else { return String(whole) }
        var digits = ""
        var scale = divisor / 10
        while scale > 0 {
            digits.append(Character(String(remainder / scale)))
            remainder %= scale
            scale /= 10
        }
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }
}
