import PodinfoServer
import Testing

struct GoJSONTests {
    @Test func prettyPrintsLikeJSONIndent() {
        let value = GoJSON.object([
            ("status", .int(418)),
            ("list", .array([.string("a"), .int(1)])),
            ("empty", .object([])),
            ("none", .array([])),
        ])
        #expect(
            value.pretty
                == "{\n  \"status\": 418,\n  \"list\": [\n    \"a\",\n    1\n  ],\n  \"empty\": {},\n  \"none\": []\n}"
        )
    }

    @Test func escapesStringsLikeEncodingJSON() {
        let value = GoJSON.string("<a href=\"x\">&</a> / \\ \n\t\u{1}\u{8}\u{2028}é")
        #expect(value.compact == #""\u003ca href=\"x\"\u003e\u0026\u003c/a\u003e / \\ \n\t\u0001\b\u2028é""#)
    }

    @Test func sortsMapKeysBytewise() {
        let value = GoJSON.sortedObject(["b": .int(1), "B": .int(2), "a": .int(3)])
        #expect(value.compact == #"{"B":2,"a":3,"b":1}"#)
    }
}
