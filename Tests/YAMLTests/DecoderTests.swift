import Testing
import YAML

private struct Canary: Decodable, Equatable {
    struct Metadata: Decodable, Equatable {
        var name: String
        var labels: [String: String]?
    }

    struct Spec: Decodable, Equatable {
        var analysis: Analysis
        var skipAnalysis: Bool?
        var template: Node?
    }

    struct Analysis: Decodable, Equatable {
        var interval: String
        var threshold: Int
        var stepWeight: Int?
        var stepWeights: [Int]?
        var maxWeight: Double?
    }

    var apiVersion: String
    var kind: String
    var metadata: Metadata
    var spec: Spec
}

private struct Settings: Decodable, Equatable {
    var replicas: Int
    var enabled: Bool
    var country: String
    var version: String
    var ratio: Double
}

private struct Deployment: Decodable {
    struct Container: Decodable {
        var name: String
        var image: String
        var port: Int?
    }

    struct PodSpec: Decodable { var containers: [Container] }
    struct Template: Decodable { var spec: PodSpec }
    struct Spec: Decodable { var template: Template }

    var spec: Spec
}

/// Validates after decoding and reports at the offending value.
private struct Interval: Decodable, Equatable {
    var seconds: Int

    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard text.hasSuffix("s"), let seconds = Int(text.dropLast()), seconds > 0 else {
            throw decoder.yamlError("'\(text)' is not a duration like 30s")
        }
        self.seconds = seconds
    }
}

private struct Passthrough: YAMLTolerantDecodable {
    var kind: String
}

private func diagnostics<T: Decodable>(
    _ type: T.Type,
    _ text: String,
    rejectUnknownKeys: Bool = true
) throws -> [Diagnostic] {
    let decoder = YAMLDecoder(file: "canary.yaml", rejectUnknownKeys: rejectUnknownKeys)
    return try #require(throws: Diagnostics.self) { try decoder.decode(type, from: text) }.items
}

@Suite struct DecoderTests {
    let canaryText = """
        apiVersion: flagger.app/v1beta1
        kind: Canary
        metadata:
          name: podinfo
          labels: {app: podinfo}
        spec:
          analysis:
            interval: 1m
            threshold: 5
            stepWeight: 10
            maxWeight: 50
        """

    @Test func decodesANestedDocument() throws {
        let canary = try YAMLDecoder(file: "canary.yaml").decode(Canary.self, from: canaryText)
        #expect(canary.metadata.name == "podinfo")
        #expect(canary.metadata.labels == ["app": "podinfo"])
        #expect(canary.spec.analysis.threshold == 5)
        #expect(canary.spec.analysis.maxWeight == 50)
        #expect(canary.spec.skipAnalysis == nil)
    }

    @Test func targetTypeDecidesHowScalarsRead() throws {
        let text = "replicas: 0x1F\nenabled: TRUE\ncountry: NO\nversion: 1.10\nratio: 1e3\n"
        let settings = try YAMLDecoder(file: "s.yaml").decode(Settings.self, from: text)
        #expect(settings == Settings(replicas: 31, enabled: true, country: "NO", version: "1.10", ratio: 1000))
    }

    @Test func stringsKeepTheirExactText() throws {
        let text = "a: 6.0\nb: \"6.0.1\"\nc: on\nd: 0644\ne: 1e3\nf: ~\n"
        let values = try YAMLDecoder(file: "s.yaml").decode([String: String].self, from: text)
        #expect(values == ["a": "6.0", "b": "6.0.1", "c": "on", "d": "0644", "e": "1e3", "f": "~"])
    }

    @Test func optionalsAreNilWhenAbsentOrNull() throws {
        let values = try YAMLDecoder(file: "o.yaml").decode([String: Int?].self, from: "a: 1\nb:\nc: null\n")
        let expected: [String: Int?] = ["a": 1, "b": nil, "c": nil]
        #expect(values == expected)
        let analysis = try YAMLDecoder(file: "o.yaml").decode(
            Canary.Analysis.self,
            from: "interval: 1m\nthreshold: 1\nstepWeight: ~\n"
        )
        #expect(analysis.stepWeight == nil)
        #expect(analysis.maxWeight == nil)
    }

    @Test func integerErrorNamesPathAndValueMark() throws {
        let text = canaryText.replacing("stepWeight: 10", with: "stepWeight: ten")
        let items = try diagnostics(Canary.self, text)
        #expect(
            items.map(\.description) == [
                "canary.yaml:10:17: error: spec.analysis.stepWeight: expected an integer, found \"ten\""
            ]
        )
    }

    @Test(arguments: [
        ("1e3", "expected an integer, found \"1e3\""),
        ("\"12\"", "expected an integer, found \"12\" (quoted, so it is a string; remove the quotes)"),
        ("1.5", "expected an integer, found \"1.5\""),
        ("[1]", "expected an integer, found a sequence"),
        ("", "expected an integer, found an empty value"),
        ("99999999999999999999", "integer 99999999999999999999 is out of range"),
    ])
    func integersAcceptOnlyPlainCoreIntegers(value: String, message: String) throws {
        let items = try diagnostics([String: Int].self, "n: \(value)\n")
        #expect(items.count == 1)
        #expect(items.first?.message.hasPrefix("n: \(message)") == true)
        if !value.isEmpty { #expect(items.first?.mark == Mark(line: 1, column: 4)) }
    }

    @Test(arguments: [("yes", "true"), ("on", "true"), ("No", "false"), ("OFF", "false")])
    func yaml11BooleansAreRejectedWithAHint(value: String, suggestion: String) throws {
        let items = try diagnostics([String: Bool].self, "enabled: \(value)\n")
        #expect(
            items.map(\.message) == [
                "enabled: expected a boolean (true or false), found \"\(value)\" (a YAML 1.1 boolean; write \(suggestion))"
            ]
        )
    }

    @Test func doublesAcceptIntegersAndFloatsButNotQuotedNumbers() throws {
        let values = try YAMLDecoder(file: "d.yaml").decode([Double].self, from: "[1, 2.5, 0x10, -.inf]")
        #expect(values == [1, 2.5, 16, -.infinity])
        let items = try diagnostics([Double].self, "- 1\n- '2.5'\n")
        #expect(
            items.map(\.description) == [
                "canary.yaml:2:3: error: [1]: expected a number, found \"2.5\" (quoted, so it is a string; remove the quotes)"
            ]
        )
    }

    @Test func explicitTagsOverrideTheStyle() throws {
        let values = try YAMLDecoder(file: "t.yaml").decode([String: Int].self, from: "a: !!int \"12\"\n")
        #expect(values == ["a": 12])
        let items = try diagnostics([String: Int].self, "a: !!str 12\n")
        #expect(items.first?.message.hasPrefix("a: expected an integer") == true)
    }

    @Test func missingKeyIsReportedAtTheMapping() throws {
        let text = canaryText.replacing("    interval: 1m\n", with: "")
        let items = try diagnostics(Canary.self, text)
        #expect(items.map(\.description) == ["canary.yaml:8:5: error: spec.analysis: missing required key 'interval'"])
    }

    @Test func missingKeyUnderAnEmptyValueIsReportedThere() throws {
        let items = try diagnostics(Canary.Analysis.self, "---\n")
        #expect(items.first?.message == "missing required key 'interval'")
        let nested = try diagnostics(Canary.Spec.self, "analysis:\n")
        #expect(nested.map(\.description) == ["canary.yaml:1:10: error: analysis: missing required key 'interval'"])
    }

    @Test func unknownKeysAreAllReportedWithSuggestions() throws {
        let text =
            canaryText
            .replacing("stepWeight: 10", with: "stepWieght: 10")
            .replacing("kind: Canary", with: "kind: Canary\nstatus: {}")
        let items = try diagnostics(Canary.self, text)
        #expect(
            items.map(\.description) == [
                "canary.yaml:3:1: error: unknown key 'status'",
                "canary.yaml:11:5: error: spec.analysis: unknown key 'stepWieght' (did you mean 'stepWeight'?)",
            ]
        )
    }

    @Test func unknownKeysAreAcceptedWhenNotRejecting() throws {
        let text = canaryText + "\n    extra: 1\n"
        let canary = try YAMLDecoder(file: "c.yaml", rejectUnknownKeys: false).decode(Canary.self, from: text)
        #expect(canary.spec.analysis.threshold == 5)
    }

    @Test func typeErrorInsideSequenceShowsIndexPath() throws {
        let text = """
            spec:
              template:
                spec:
                  containers:
                    - name: app
                      image: podinfo
                      port: 9898
                    - name: sidecar
                      image: [envoy]
            """
        let items = try diagnostics(Deployment.self, text)
        #expect(
            items.map(\.description) == [
                "canary.yaml:9:18: error: spec.template.spec.containers[1].image: expected a string, found a sequence"
            ]
        )
    }

    @Test func unknownKeyInsideSequenceShowsIndexPath() throws {
        let text =
            "spec:\n  template:\n    spec:\n      containers:\n        - name: a\n          image: b\n          prot: 80\n"
        let items = try diagnostics(Deployment.self, text)
        #expect(
            items.map(\.description) == [
                "canary.yaml:7:11: error: spec.template.spec.containers[0]: unknown key 'prot' (did you mean 'port'?)"
            ]
        )
    }

    @Test func nodeFieldKeepsTheRawSubtreeAndToleratesItsKeys() throws {
        let text = canaryText + "\n  template:\n    anything: [goes, here]\n    nested: {x: 1}\n"
        let canary = try YAMLDecoder(file: "canary.yaml").decode(Canary.self, from: text)
        let template = try #require(canary.spec.template)
        #expect(template["nested"]?["x"]?.resolved == .int(1))
        #expect(template["anything"]?.mark == Mark(line: 13, column: 15))
    }

    @Test func aCaughtFailedAttemptDoesNotLeaveUnknownKeys() throws {
        struct Strict: Decodable { var only: Int }
        struct Either: Decodable {
            var strict: Strict?
            var raw: Node?
            init(from decoder: any Decoder) throws {
                strict = try? Strict(from: decoder)
                raw = strict == nil ? try Node(from: decoder) : nil
            }
        }
        let value = try YAMLDecoder(file: "e.yaml").decode(Either.self, from: "other: 1\nmore: {x: 2}\n")
        #expect(value.strict == nil)
        #expect(value.raw?["more"]?["x"]?.resolved == .int(2))
    }

    @Test func aCaughtFailedFieldDecodeIsForgotten() throws {
        struct First: Decodable { var a: Int }
        struct Second: Decodable { var b: Int }
        struct Holder: Decodable {
            enum CodingKeys: String, CodingKey { case value }
            var b: Int
            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                if let first = try? container.decode(First.self, forKey: .value) {
                    b = first.a
                } else {
                    b = try container.decode(Second.self, forKey: .value).b
                }
            }
        }
        #expect(try YAMLDecoder(file: "h.yaml").decode(Holder.self, from: "value: {b: 3}\n").b == 3)
        let items = try diagnostics(Holder.self, "value: {b: 3, c: 4}\n")
        #expect(items.map(\.message) == ["value: unknown key 'c'"])
    }

    @Test func tolerantTypesIgnoreUnknownKeysBelowThem() throws {
        let text = "- kind: Service\n  spec: {ports: []}\n- kind: ConfigMap\n  data: {a: b}\n"
        let objects = try YAMLDecoder(file: "o.yaml").decode([Passthrough].self, from: text)
        #expect(objects.map(\.kind) == ["Service", "ConfigMap"])
    }

    @Test func customValidationErrorsCarryTheValueMark() throws {
        let values = try YAMLDecoder(file: "i.yaml").decode([String: Interval].self, from: "a: 30s\n")
        #expect(values["a"]?.seconds == 30)
        let items = try diagnostics([String: Interval].self, "a: 30s\nb: soon\n")
        #expect(items.map(\.description) == ["canary.yaml:2:4: error: b: 'soon' is not a duration like 30s"])
    }

    @Test func yamlNodeIsAvailableToCustomInitializers() throws {
        struct Probe: Decodable {
            var mark: Mark?
            init(from decoder: any Decoder) throws { mark = decoder.yamlNode?.mark }
        }
        let probe = try YAMLDecoder(file: "p.yaml", rejectUnknownKeys: false).decode(Probe.self, from: "\n\n  x: 1\n")
        #expect(probe.mark == Mark(line: 3, column: 3))
    }

    @Test func enumRawValueErrorsArePlacedAtTheValue() throws {
        enum Provider: String, Decodable { case prometheus, datadog }
        let items = try diagnostics([String: Provider].self, "type: influx\n")
        #expect(items.first?.mark == Mark(line: 1, column: 7))
        #expect(items.first?.message.hasPrefix("type: ") == true)
        #expect(items.first?.message.contains("influx") == true)
    }

    @Test func caseIterableEnumErrorsListTheAllowedValues() throws {
        enum Provider: String, Decodable, CaseIterable { case prometheus, datadog }
        let items = try diagnostics([String: Provider].self, "type: influx\n")
        #expect(
            items.map(\.description) == [
                "canary.yaml:1:7: error: type: expected one of prometheus, datadog, found \"influx\""
            ]
        )
    }

    @Test func syntaxErrorsComeBackAsDiagnostics() throws {
        let items = try diagnostics(Canary.self, "spec:\n  a: 1\n   b: 2\n")
        #expect(items.first?.mark == Mark(line: 3, column: 4))
    }

    @Test func textMustHoldExactlyOneDocument() throws {
        let items = try diagnostics([String: Int].self, "a: 1\n---\nb: 2\n")
        #expect(items.map(\.description) == ["canary.yaml:2:1: error: expected one YAML document, found 2"])
        let none = try diagnostics([String: Int].self, "# empty\n")
        #expect(none.first?.message == "expected one YAML document, found none")
    }

    @Test func decodesFromAParsedNode() throws {
        let documents = try YAMLParser.parse("a: 1\n---\na: 2\n", file: "m.yaml")
        let decoder = YAMLDecoder(file: "m.yaml")
        let values = try documents.map { try decoder.decode([String: Int].self, from: $0.node) }
        #expect(values == [["a": 1], ["a": 2]])
    }

    @Test func smallIntegerTypesCheckTheirRange() throws {
        #expect(try YAMLDecoder(file: "r.yaml").decode([UInt8].self, from: "[0, 255]") == [0, 255])
        let items = try diagnostics([UInt8].self, "[256]")
        #expect(items.first?.message == "[0]: integer 256 is out of range (0...255)")
        #expect(try YAMLDecoder(file: "r.yaml").decode(UInt64.self, from: "18446744073709551615") == .max)
    }
}
