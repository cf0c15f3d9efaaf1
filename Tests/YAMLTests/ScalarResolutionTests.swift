import Testing
import YAML

@Suite struct ScalarResolutionTests {
    private func resolve(_ text: String) throws -> ResolvedScalar? {
        try YAMLParser.parse("v: \(text)\n", file: "s.yaml").first?.node["v"]?.resolved
    }

    @Test(arguments: [
        ("true", true), ("True", true), ("TRUE", true), ("false", false), ("False", false), ("FALSE", false),
    ])
    func coreBooleans(text: String, value: Bool) throws {
        #expect(try resolve(text) == .bool(value))
    }

    /// The Norway problem: YAML 1.1 booleans are plain strings under YAML 1.2.
    @Test(arguments: ["yes", "no", "on", "off", "Yes", "NO", "On", "OFF", "y", "n"])
    func yaml11BooleansAreStrings(text: String) throws {
        #expect(try resolve(text) == .string(text))
    }

    @Test(arguments: [
        ("12", ResolvedScalar.int(12)),
        ("-7", .int(-7)),
        ("+3", .int(3)),
        ("0x1F", .int(31)),
        ("0o17", .int(15)),
        ("0644", .int(644)),
        ("1e3", .float(1000)),
        ("6.0", .float(6)),
        ("1.10", .float(1.1)),
        (".5", .float(0.5)),
        ("-1.5e-3", .float(-0.0015)),
        (".inf", .float(.infinity)),
        ("-.Inf", .float(-.infinity)),
        ("\"6.0.1\"", .string("6.0.1")),
        ("6.0.1", .string("6.0.1")),
        ("\"12\"", .string("12")),
        ("'true'", .string("true")),
        ("0b101", .string("0b101")),
        ("1_000", .string("1_000")),
        ("1:30", .string("1:30")),
        ("0x", .string("0x")),
        ("1e", .string("1e")),
        ("30s", .string("30s")),
        ("~", .null),
        ("null", .null),
        ("Null", .null),
        ("NULL", .null),
        ("", .null),
        ("\"\"", .string("")),
        ("'null'", .string("null")),
    ])
    func numbersStringsAndNulls(text: String, expected: ResolvedScalar) throws {
        #expect(try resolve(text) == expected)
    }

    @Test func integerTooLargeForIntIsStillANumber() throws {
        #expect(try resolve("100000000000000000000") == .float(1e20))
    }

    @Test func nanResolvesToNaN() throws {
        guard case .float(let value) = try resolve(".nan") else {
            Issue.record(".nan should be a float")
            return
        }
        #expect(value.isNaN)
    }

    @Test func nullFormsAreNull() throws {
        let node = try #require(try YAMLParser.parse("a:\nb: ~\nc: null\nd: 'null'\n", file: "n.yaml").first?.node)
        #expect(node["a"]?.isNull == true)
        #expect(node["b"]?.isNull == true)
        #expect(node["c"]?.isNull == true)
        #expect(node["d"]?.isNull == false)
        #expect(node.isNull == false)
    }
}
