import Foundation
import Testing
import YAML

/// Every JSON file the harness writes by hand (timelines, `analyze` output, JSON manifests) goes through `JSONText`;
/// users read them with `jq` and Python. Whatever it writes must parse with a standard parser (Foundation's) and mean
/// what was written.
@Suite("JSON text parses back with Foundation's parser")
struct JSONTextTests {
    /// Parses `{"v":<text>}` with Foundation's parser.
    static func parse(_ text: String) throws -> Any? {
        let object = try JSONSerialization.jsonObject(with: Data("{\"v\":\(text)}".utf8)) as? [String: Any]
        return object?["v"]
    }

    /// Random strings: every control character, quotes and backslashes, the characters YAML escapes (DEL, C1,
    /// U+2028/2029, BOM), and text beyond the BMP.
    static func randomStrings(count: Int) -> [String] {
        var generator = SystemRandomNumberGenerator()
        let special: [UInt32] = [0x22, 0x5C, 0x2F, 0x7F, 0x85, 0x9F, 0x2028, 0x2029, 0xFEFF, 0x1F600, 0xE9]
        return (0..<count).map { _ in
            let scalars = (0..<Int.random(in: 0...24, using: &generator)).compactMap { _ -> Unicode.Scalar? in
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: Unicode.Scalar(UInt32.random(in: 0..<0x20, using: &generator))
                case 1: Unicode.Scalar(special.randomElement(using: &generator) ?? 0x41)
                case 2: Unicode.Scalar(UInt32.random(in: 0x20..<0x7F, using: &generator))
                default: Unicode.Scalar(UInt32.random(in: 0x80...0x10FFFF, using: &generator))
                }
            }
            return String(String.UnicodeScalarView(scalars))
        }
    }

    /// Random doubles over many magnitudes, with both signs, whole numbers and values next to them.
    static func randomDoubles(count: Int) -> [Double] {
        var generator = SystemRandomNumberGenerator()
        let fixed: [Double] = [0, -0.0, 1, -1, 6.9996, 0.0004, 0.0005, 1e15, 1e-300, .leastNonzeroMagnitude, 1e308]
        return fixed
            + (0..<count).map { _ -> Double in
                let magnitudes: [Double] = [1, 10, 1_000, 1e6, 1e12, 1e20, 1e-6]
                let magnitude = magnitudes.randomElement(using: &generator) ?? 1
                let value = Double.random(in: -magnitude...magnitude, using: &generator)
                return Bool.random(using: &generator) ? value : value.rounded()
            }
    }

    /// swift-corelibs-foundation's `JSONSerialization` reads 17-digit numbers a few units in the last place off
    /// (`-3.8357811374091995` comes back as `…972`, while `Double(_:)` reads the same text exactly), so exact numbers
    /// are compared to within 1e-14 relative there.
    static func sameWithinParserError(_ parsed: Double, _ value: Double) -> Bool {
        parsed == value || abs(parsed - value) <= abs(value) * 1e-14
    }

    @Test("numbers to the millisecond: whole values without a point (6.9996 is 7, not 7.), NaN as null")
    func millisecondNumbers() throws {
        #expect(JSONText.number(6.9996) == "7")
        #expect(JSONText.number(-0.0001) == "0")
        #expect(JSONText.number(2.5) == "2.5")
        #expect(JSONText.number(0.0004) == "0")
        #expect(JSONText.number(.nan) == "null")
        #expect(JSONText.number(.infinity) == "null")
    }

    @Test("random doubles round-trip to within half a millisecond, or exactly (as Double(_:) reads) with exactNumber")
    func randomDoubles() throws {
        for value in Self.randomDoubles(count: 20_000) {
            let text = JSONText.number(value)
            let parsed = try #require(try Self.parse(text) as? NSNumber, "\(value) → \(text)")
            #expect(abs(parsed.doubleValue - value) <= 0.0005 + abs(value) * 1e-12, "\(value) → \(text)")
            let exact = JSONText.exactNumber(value)
            #expect(Double(exact) == value, "\(value) → \(exact)")
            let parsedExactly = try #require(try Self.parse(exact) as? NSNumber, "\(value) → \(exact)")
            #expect(Self.sameWithinParserError(parsedExactly.doubleValue, value), "\(value) → \(exact)")
        }
    }

    @Test("strings with quotes, backslashes and control characters parse back to themselves")
    func strings() throws {
        var samples = ["plain", "quote \" and \\ backslash", "tab\tnew\nline\r", "é ✓ 😀", ""]
        samples.append(String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init))))
        samples += Self.randomStrings(count: 2_000)
        for sample in samples {
            #expect(try Self.parse(JSONText.string(sample)) as? String == sample, "\(sample.debugDescription)")
        }
    }

    @Test("objects keep their key order and arrays their element order")
    func objectsAndArrays() throws {
        let text = JSONText.object([
            ("z", JSONText.number(1)), ("a", JSONText.array(["1", JSONText.string("two")])), ("m", "null"),
        ])
        #expect(text == #"{"z":1,"a":[1,"two"],"m":null}"#)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["a"] as? [AnyHashable] == [1, "two"])
    }

    @Test("a YAML document written as JSON parses back with the same strings and numbers")
    func nodesAsJSON() throws {
        let samples = zip(Self.randomStrings(count: 300), Self.randomDoubles(count: 300))
        for (string, number) in samples where string != "n" {
            let node = Node.mapping(
                [
                    Pair(
                        key: .scalar(Scalar(value: string)),
                        value: .scalar(Scalar(value: string, style: .doubleQuoted))
                    ),
                    Pair(key: .scalar(Scalar(value: "n")), value: .scalar(Scalar(value: JSONText.exactNumber(number)))),
                ],
                mark: Mark(line: 1, column: 1)
            )
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(node.json.utf8)) as? [String: Any],
                "\(node.json)"
            )
            #expect(object[string] as? String == string, "\(node.json)")
            let parsed = try #require(object["n"] as? NSNumber, "\(node.json)")
            #expect(Self.sameWithinParserError(parsed.doubleValue, number), "\(node.json)")
        }
    }
}
