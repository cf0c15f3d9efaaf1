import Foundation
import ObjectModel
import Testing

/// Timeline files are JSON Lines that users read with `jq` and Python (DESIGN.md §5): every number and string the
/// timeline writer emits must parse with a standard JSON parser and mean what was written.
@Suite("Timeline JSON numbers and strings parse with a standard parser")
struct TimelineJSONTests {
    /// Parses `{"v":<text>}` with Foundation's parser.
    static func parse(_ text: String) throws -> Any? {
        let object = try JSONSerialization.jsonObject(with: Data("{\"v\":\(text)}".utf8)) as? [String: Any]
        return object?["v"]
    }

    @Test("values that round up to a whole number are written without a trailing point (6.9996 is 7, not 7.)")
    func roundsToWhole() throws {
        #expect(JSONText.number(6.9996) == "7")
        #expect(JSONText.number(-0.0001) == "0")
        #expect(JSONText.number(2.5) == "2.5")
        #expect(JSONText.number(0.0004) == "0")
        #expect(JSONText.number(.nan) == "null")
    }

    @Test("random doubles round-trip through Foundation's parser to within half a millisecond")
    func randomDoubles() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let magnitude: Double = [1.0, 10, 1_000, 1e6, 1e12].randomElement(using: &generator) ?? 1
            let value = Double.random(in: -magnitude...magnitude, using: &generator)
            let text = JSONText.number(value)
            let parsed = try #require(try Self.parse(text) as? NSNumber, "\(value) → \(text)")
            #expect(abs(parsed.doubleValue - value) <= 0.0005 + abs(value) * 1e-12, "\(value) → \(text)")
        }
    }

    @Test("strings with quotes, backslashes and control characters parse back to themselves")
    func strings() throws {
        var samples = ["plain", "quote \" and \\ backslash", "tab\tnew\nline\r", "é ✓ 😀", ""]
        samples.append(String((0..<32).map { Character(UnicodeScalar(UInt8($0))) }))
        for _ in 0..<500 {
            let scalars = (0..<16).compactMap { _ in UnicodeScalar(UInt32.random(in: 0...0x2FF)) }
            samples.append(String(String.UnicodeScalarView(scalars)))
        }
        for sample in samples {
            #expect(try Self.parse(JSONText.string(sample)) as? String == sample, "\(sample.debugDescription)")
        }
    }
}
