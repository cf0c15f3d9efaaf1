import Testing
import YAML

@Suite struct SyntaxErrorTests {
    private func error(_ text: String) throws -> Diagnostic {
        try #require(throws: Diagnostic.self) { try YAMLParser.parse(text, file: "canary.yaml") }
    }

    @Test func keyIndentedTooDeepPointsAtThatKey() throws {
        let text = """
            spec:
              analysis:
                interval: 1m
                 threshold: 5
            """
        let diagnostic = try error(text)
        #expect(diagnostic.mark == Mark(line: 4, column: 6))
        #expect(diagnostic.description.hasPrefix("canary.yaml:4:6: error: bad indentation of a mapping entry"))
    }

    @Test func keyIndentedTooShallowPointsAtThatKey() throws {
        let text = """
            spec:
              containers:
                - name: a
               image: b
            """
        let diagnostic = try error(text)
        #expect(diagnostic.mark == Mark(line: 4, column: 4))
        #expect(diagnostic.message.hasPrefix("bad indentation: did not find expected key"))
        #expect(diagnostic.message.contains("2:3"))
    }

    @Test func sequenceItemOutOfLinePointsAtTheDash() throws {
        let diagnostic = try error("items:\n  - a\n - b\n")
        #expect(diagnostic.mark == Mark(line: 3, column: 2))
    }

    @Test func tabIndentationIsExplained() throws {
        let diagnostic = try error("spec:\n\treplicas: 2\n")
        #expect(diagnostic.mark == Mark(line: 2, column: 1))
        #expect(diagnostic.message.hasPrefix("tabs cannot indent YAML; use spaces"))
    }

    @Test func twoValuesOnOneLineKeepTheColonMark() throws {
        let diagnostic = try error("a: b: c\n")
        #expect(diagnostic.mark == Mark(line: 1, column: 5))
        #expect(diagnostic.message == "mapping values are not allowed in this context")
    }

    @Test func unclosedFlowSequenceNamesWhereItStarted() throws {
        let diagnostic = try error("a: [1, 2\nb: 3\n")
        #expect(diagnostic.mark == Mark(line: 2, column: 2))
        #expect(diagnostic.message.contains("while parsing a flow sequence at 1:4"))
    }

    @Test func unterminatedQuoteIsAnError() throws {
        let diagnostic = try error("a: \"open\nb: 1\n")
        #expect(diagnostic.message.contains("end of stream"))
        #expect(diagnostic.description.hasPrefix("canary.yaml:"))
    }

    @Test func controlCharactersAreRejectedWithAPosition() throws {
        let diagnostic = try error("a: 1\nb: x\u{01}y\n")
        #expect(diagnostic.mark == Mark(line: 2, column: 5))
        #expect(diagnostic.message.contains("control characters"))
    }

    @Test func errorInALaterDocumentHasItsOwnLine() throws {
        let diagnostic = try error("a: 1\n---\nb: 2\n---\nc: [\n")
        #expect(diagnostic.mark.line == 6)
    }
}
