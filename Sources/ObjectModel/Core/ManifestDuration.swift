/// A duration field of a manifest or scenario file, kept with its text as written: Go's `time.ParseDuration` syntax
/// (`30s`, `1m`, `1m30s`, `500ms`, `1.5h`), which is how Flagger and Flux spell every interval and timeout. (podinfo's
/// flags use `PodinfoServer.GoDurationFormat`, which parses to a `Duration` and prints Go's `String()` form.)
public struct ManifestDuration: Codable, Sendable, Hashable, CustomStringConvertible {
    /// The value in seconds.
    public var seconds: Double
    /// The text as written.
    public var text: String

    /// A parse failure, with the reason.
    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    private static let units: [(suffix: String, seconds: Double)] = [
        ("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("μs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600),
    ]

    public init(seconds: Double) {
        self.seconds = seconds
        self.text = Self.format(seconds)
    }

    public init(parsing text: String) throws {
        self.text = text
        var rest = Substring(text)
        var sign = 1.0
        if rest.first == "-" || rest.first == "+" {
            sign = rest.first == "-" ? -1 : 1
            rest = rest.dropFirst()
        }
        if rest == "0" {
            self.seconds = 0
            return
        }
        guard !rest.isEmpty else { throw ParseError(description: "invalid duration \"\(text)\"") }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else {
                throw ParseError(description: "invalid duration \"\(text)\": expected a number like 30s or 1m")
            }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { !$0.isNumber && $0 != "." }
            guard let unit = Self.units.first(where: { $0.suffix == unitText }) else {
                let hint = unitText.isEmpty ? "missing unit" : "unknown unit \"\(unitText)\""
                throw ParseError(description: "invalid duration \"\(text)\": \(hint) (use ms, s, m or h)")
            }
            rest = rest.dropFirst(unitText.count)
            total += value * unit.seconds
        }
        self.seconds = sign * total
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch let error as ParseError {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    public var duration: Duration { .milliseconds(Int64((seconds * 1000).rounded())) }

    public var description: String { text }

    /// Go's `Duration.String()` shape for whole values: `1m30s`, `10s`, `500ms`.
    private static func format(_ seconds: Double) -> String {
        if seconds == 0 { return "0s" }
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        var rest = Int(seconds.rounded())
        var text = ""
        if rest >= 3600 {
            text += "\(rest / 3600)h"
            rest %= 3600
        }
        if rest >= 60 || !text.isEmpty && rest > 0 {
            text += "\(rest / 60)m"
            rest %= 60
        }
        if rest > 0 || text.isEmpty { text += "\(rest)s" }
        return text
    }
}
