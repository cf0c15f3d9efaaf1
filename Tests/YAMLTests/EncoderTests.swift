import Testing
import YAML

private struct Manifest: Codable, Equatable {
    struct Container: Codable, Equatable {
        var name: String
        var image: String
        var args: [String]
        var env: [String: String]
    }

    var apiVersion: String
    var kind: String
    var replicas: Int
    var paused: Bool
    var weight: Double
    var note: String?
    var labels: [String: String]
    var containers: [Container]
    var matrix: [[Int]]
    var empty: [String]
    var emptyMap: [String: Int]
}

@Suite struct EncoderTests {
    private let manifest = Manifest(
        apiVersion: "apps/v1",
        kind: "Deployment",
        replicas: 3,
        paused: false,
        weight: 0.25,
        note: nil,
        labels: ["app": "podinfo", "version": "6.0", "country": "NO", "enabled": "yes"],
        containers: [
            Manifest.Container(
                name: "podinfo",
                image: "ghcr.io/stefanprodan/podinfo:6.0.1",
                args: ["--port=9898", "1.10", "0644", "null", "", "on", "- dash", "a: b", "#hash", "x #y", " pad"],
                env: ["SCRIPT": "echo hi\n  indented\nend\n", "KEEP": "a\n\n", "STRIP": "a\nb", "TAB": "a\tb"]
            )
        ],
        matrix: [[1, 2], [3]],
        empty: [],
        emptyMap: [:]
    )

    @Test func roundTripsThroughTheParser() throws {
        let text = try YAMLEncoder().encode(manifest)
        let decoded = try YAMLDecoder(file: "out.yaml").decode(Manifest.self, from: text)
        #expect(decoded == manifest)
    }

    @Test func writesReadableBlockStyle() throws {
        struct Small: Encodable {
            var name = "podinfo"
            var ports = [9898, 9999]
            var meta = ["team": "sre"]
            var items = [["a": 1]]
        }
        let text = try YAMLEncoder().encode(Small())
        #expect(
            text == """
                name: podinfo
                ports:
                  - 9898
                  - 9999
                meta:
                  team: sre
                items:
                  - a: 1

                """
        )
    }

    @Test(arguments: [
        "yes", "no", "on", "off", "y", "N", "true", "False", "null", "~", "", "1.10", "0644", "12", "0x1F", "1e3",
        "0b101", "1_000", "1:30", "2024-01-01", ".inf", "-", "- a", "a: b", "[x]", "{x}", "*alias", "&anchor", "!tag",
        "'", "\"", "#comment", "x #y", " lead", "trail ", "@at", "`tick", "|", ">", "%", "<<", "=", "---", "...",
    ])
    func ambiguousStringsAreQuotedAndReadBackAsStrings(text: String) throws {
        let yaml = try YAMLEncoder().encode(["v": text])
        #expect(yaml.hasPrefix("v: \""), "\(yaml)")
        let node = try #require(try YAMLParser.parse(yaml, file: "q.yaml").first?.node)
        #expect(node["v"]?.resolved == .string(text))
    }

    @Test(arguments: ["podinfo", "ghcr.io/stefanprodan/podinfo:6.0.1", "--port=9898", "hello world", "http://x:80/a"])
    func ordinaryStringsStayPlain(text: String) throws {
        #expect(try YAMLEncoder().encode(["v": text]) == "v: \(text)\n")
    }

    @Test func multiLineStringsBecomeLiteralBlocks() throws {
        let yaml = try YAMLEncoder().encode(["script": "set -e\nmake test\n"])
        #expect(yaml == "script: |\n  set -e\n  make test\n")
    }

    @Test func parsedDocumentsRenderBackToTheSameValues() throws {
        let text = """
            a: 6.0
            b: "6.0.1"
            c: on
            d: 0x1F
            e: 1e3
            f: ~
            g: !!str 12
            h: [1, "2", three]
            i: {}
            j: |
              keep
            k: 'it''s'
            l: -.inf
            "key with: colon": 1
            yes: quoted key
            """
        let node = try #require(try YAMLParser.parse(text, file: "r.yaml").first?.node)
        let rendered = node.yaml
        let reparsed = try #require(try YAMLParser.parse(rendered, file: "r2.yaml").first?.node)
        #expect(reparsed.hasSameContent(as: node), "\(rendered)")
        #expect(rendered.contains("c: \"on\"\n"))
        #expect(rendered.contains("\"yes\": quoted key\n"))
    }

    @Test func rendersJSONWithCoreSchemaTypes() throws {
        let text = "a: 6.0\nb: \"6.0.1\"\nc: on\nd: 0x1F\ne: 1e3\nf: ~\ng: [true, \"x\\ny\"]\nh: {}\ni: .5\n"
        let node = try #require(try YAMLParser.parse(text, file: "j.yaml").first?.node)
        #expect(
            node.json == """
                {
                  "a": 6.0,
                  "b": "6.0.1",
                  "c": "on",
                  "d": 31,
                  "e": 1000.0,
                  "f": null,
                  "g": [
                    true,
                    "x\\ny"
                  ],
                  "h": {},
                  "i": 0.5
                }
                """
        )
    }

    @Test func jsonIsValidYAMLWithTheSameContent() throws {
        let node = try YAMLEncoder().encodeNode(manifest)
        let reparsed = try #require(try YAMLParser.parse(node.json, file: "j.yaml").first?.node)
        #expect(reparsed.hasSameContent(as: node))
    }

    @Test func encodeNodeKeepsTypes() throws {
        let node = try YAMLEncoder().encodeNode(manifest)
        #expect(node["replicas"]?.resolved == .int(3))
        #expect(node["paused"]?.resolved == .bool(false))
        #expect(node["weight"]?.resolved == .float(0.25))
        #expect(node.find(["labels", "version"])?.resolved == .string("6.0"))
        #expect(node["note"] == nil)
    }

    @Test func nodeFieldsEncodeAsTheirSubtree() throws {
        struct Wrapper: Encodable { var spec: Node }
        let spec = try #require(try YAMLParser.parse("replicas: 2\nversion: '1.10'\n", file: "n.yaml").first?.node)
        let yaml = try YAMLEncoder().encode(Wrapper(spec: spec))
        #expect(yaml == "spec:\n  replicas: 2\n  version: \"1.10\"\n")
    }

    @Test func multipleDocumentsRenderAsAStream() throws {
        let documents = try YAMLParser.parse("a: 1\n---\nb: x\n", file: "s.yaml").map(\.node)
        let stream = Node.yamlStream(documents)
        #expect(stream == "---\na: 1\n---\nb: x\n")
        #expect(try YAMLParser.parse(stream, file: "s.yaml").count == 2)
    }
}
