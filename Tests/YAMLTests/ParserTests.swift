import Testing
import YAML

@Suite struct ParserTests {
    @Test func multiDocumentStreamKeepsEveryDocumentInOrder() throws {
        let text = """
            apiVersion: v1
            kind: Service
            ---
            apiVersion: apps/v1
            kind: Deployment
            ---
            # only a comment
            ...
            """
        let documents = try YAMLParser.parse(text, file: "m.yaml")
        #expect(documents.map { $0.node["kind"]?.scalarValue } == ["Service", "Deployment", nil])
        #expect(documents[1].mark == Mark(line: 3, column: 1))
        #expect(documents[2].node.isNull)
    }

    @Test func emptyDocumentsAreNullScalars() throws {
        let documents = try YAMLParser.parse("---\n---\na: 1\n---\n", file: "e.yaml")
        #expect(documents.count == 3)
        #expect(documents[0].node.isNull)
        #expect(documents[0].node.scalarValue == "")
        #expect(documents[1].node["a"]?.resolved == .int(1))
        #expect(documents[2].node.isNull)
    }

    @Test func streamWithoutContentHasNoDocuments() throws {
        #expect(try YAMLParser.parse("", file: "e.yaml").isEmpty)
        #expect(try YAMLParser.parse("# nothing here\n", file: "e.yaml").isEmpty)
    }

    @Test func marksAreOneBasedLineAndColumn() throws {
        let text = """
            metadata:
              name: podinfo
              labels:
                app: podinfo
            spec:
              containers:
                - name: main
                  image: ghcr.io/stefanprodan/podinfo:6.0.1
            """
        let node = try #require(try YAMLParser.parse(text, file: "d.yaml").first?.node)
        #expect(node.mark == Mark(line: 1, column: 1))
        #expect(node["metadata"]?["name"]?.mark == Mark(line: 2, column: 9))
        #expect(node["metadata"]?["labels"]?.mark == Mark(line: 4, column: 5))
        let image = try #require(node.find(["spec", "containers", "0", "image"]))
        #expect(image.mark == Mark(line: 8, column: 14))
        #expect(image.scalarValue == "ghcr.io/stefanprodan/podinfo:6.0.1")
        #expect(node.find(["spec", "containers", "1"]) == nil)
    }

    @Test func columnsCountUnicodeScalarsNotBytes() throws {
        let node = try #require(try YAMLParser.parse("ключ: значение\nb: x\n", file: "u.yaml").first?.node)
        #expect(node["ключ"]?.mark == Mark(line: 1, column: 7))
        #expect(node["ключ"]?.scalarValue == "значение")
    }

    @Test func mappingsKeepSourceOrder() throws {
        let node = try #require(try YAMLParser.parse("z: 1\na: 2\nm: 3\n", file: "o.yaml").first?.node)
        #expect(node.pairs?.compactMap(\.key.scalarValue) == ["z", "a", "m"])
    }

    @Test func literalAndFoldedBlockScalarsWithChomping() throws {
        let text = """
            clip: |
              line one
                indented
              line three
            strip: |-
              no newline
            keep: |+
              kept

            folded: >
              folded
              into one

              paragraph
            foldedStrip: >-
              a
              b
            indicator: |2
                two extra spaces
            last: end
            """
        let node = try #require(try YAMLParser.parse(text, file: "b.yaml").first?.node)
        #expect(node["clip"]?.scalarValue == "line one\n  indented\nline three\n")
        #expect(node["strip"]?.scalarValue == "no newline")
        #expect(node["keep"]?.scalarValue == "kept\n\n")
        #expect(node["folded"]?.scalarValue == "folded into one\nparagraph\n")
        #expect(node["foldedStrip"]?.scalarValue == "a b")
        #expect(node["indicator"]?.scalarValue == "  two extra spaces\n")
        guard case .scalar(let clip) = node["clip"], case .scalar(let folded) = node["folded"] else {
            Issue.record("block scalars are scalars")
            return
        }
        #expect(clip.style == .literal)
        #expect(folded.style == .folded)
        #expect(node["clip"]?.resolved == .string("line one\n  indented\nline three\n"))
    }

    @Test func anchorsAndAliasesExpandToCopies() throws {
        let text = """
            defaults: &defaults
              interval: 1m
              threshold: 5
            first: *defaults
            list:
              - &item x
              - *item
            """
        let node = try #require(try YAMLParser.parse(text, file: "a.yaml").first?.node)
        let first = try #require(node["first"])
        #expect(first.hasSameContent(as: try #require(node["defaults"])))
        #expect(first["threshold"]?.resolved == .int(5))
        #expect(node["list"]?.items?.map(\.scalarValue) == ["x", "x"])
    }

    @Test func mergeKeysApplyWithExplicitKeysWinning() throws {
        let text = """
            base: &base
              interval: 1m
              threshold: 5
            extra: &extra
              maxWeight: 50
              threshold: 9
            analysis:
              <<: [*base, *extra]
              threshold: 10
            """
        let node = try #require(try YAMLParser.parse(text, file: "m.yaml").first?.node)
        let analysis = try #require(node["analysis"])
        #expect(analysis.pairs?.compactMap(\.key.scalarValue) == ["interval", "maxWeight", "threshold"])
        #expect(analysis["threshold"]?.resolved == .int(10))
        #expect(analysis["interval"]?.scalarValue == "1m")
        #expect(analysis["<<"] == nil)
    }

    @Test func mergeOfScalarIsAnError() throws {
        let error = try #require(throws: Diagnostic.self) { try YAMLParser.parse("a:\n  <<: 3\n", file: "m.yaml") }
        #expect(error.mark == Mark(line: 2, column: 7))
        #expect(error.message.contains("merge key"))
    }

    @Test func duplicateKeyIsReportedAtTheDuplicate() throws {
        let text = "spec:\n  replicas: 1\n  image: x\n  replicas: 2\n"
        let error = try #require(throws: Diagnostic.self) { try YAMLParser.parse(text, file: "dup.yaml") }
        #expect(error.description == "dup.yaml:4:3: error: duplicate key 'replicas' (first defined at 2:3)")
    }

    @Test func sameKeyInDifferentMappingsIsFine() throws {
        let text = "a:\n  name: x\nb:\n  name: y\n"
        let node = try #require(try YAMLParser.parse(text, file: "ok.yaml").first?.node)
        #expect(node.find(["b", "name"])?.scalarValue == "y")
    }

    @Test func aliasBombIsRejectedQuickly() throws {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            lines.append("a\(level): &a\(level) [\(refs)]")
        }
        let error = try #require(throws: Diagnostic.self) {
            try YAMLParser.parse(lines.joined(separator: "\n"), file: "bomb.yaml")
        }
        #expect(error.message.contains("more than 1000000 nodes"))
        #expect(error.mark.line >= 6)
    }

    @Test func unknownAliasIsAnError() throws {
        let error = try #require(throws: Diagnostic.self) { try YAMLParser.parse("a: *nope\n", file: "x.yaml") }
        #expect(error.description == "x.yaml:1:4: error: unknown alias '*nope' (no anchor '&nope' before it)")
    }

    @Test func explicitTagsAreKeptAndRespected() throws {
        let node = try #require(
            try YAMLParser.parse("a: !!str 12\nb: !!int \"12\"\nc: !!float 1\nd: !custom x\n", file: "t.yaml").first?
                .node
        )
        #expect(node["a"]?.resolved == .string("12"))
        #expect(node["b"]?.resolved == .int(12))
        #expect(node["c"]?.resolved == .float(1))
        #expect(node["d"]?.resolved == .string("x"))
        guard case .scalar(let tagged) = node["a"] else {
            Issue.record("a is a scalar")
            return
        }
        #expect(tagged.tag == "tag:yaml.org,2002:str")
    }

    @Test func excessiveNestingIsAnErrorNotACrash() throws {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let error = try #require(throws: Diagnostic.self) { try YAMLParser.parse(text, file: "deep.yaml") }
        #expect(error.message.contains("nesting deeper than"))
    }

    @Test func flowCollectionsParse() throws {
        let node = try #require(try YAMLParser.parse("{a: [1, two, {b: c}], d: {}}", file: "f.yaml").first?.node)
        #expect(node.find(["a", "1"])?.scalarValue == "two")
        #expect(node.find(["a", "2", "b"])?.scalarValue == "c")
        #expect(node["d"]?.pairs?.isEmpty == true)
    }

    /// Speed is measured by `make bench`; this only checks that a large stream parses completely.
    @Test func parsesAOneMegabyteStream() throws {
        var text = ""
        var index = 0
        while text.utf8.count < 1_000_000 {
            text += """
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: app-\(index)
                  labels: {app: podinfo, tier: "backend"}
                spec:
                  replicas: 2
                  template:
                    spec:
                      containers:
                        - name: podinfo
                          image: ghcr.io/stefanprodan/podinfo:6.0.1
                          ports: [{containerPort: 9898}]
                          args: |
                            --port=9898
                            --level=info

                """
            index += 1
        }
        let documents = try YAMLParser.parse(text, file: "big.yaml")
        #expect(documents.count == index)
        #expect(
            documents.last?.node.find(["spec", "template", "spec", "containers", "0", "args"])?.scalarValue
                == "--port=9898\n--level=info\n"
        )
    }
}
