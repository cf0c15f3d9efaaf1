import Foundation
import ObjectModel
import Scenarios
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The reports: JUnit XML that parsers accept, the HTML chart, the timeline JSON Lines and the terminal summary.
struct ReportTests {
    static let timeline = Fixtures.timeline([
        (0, "Initialized", 0, 0), (1, "Progressing", 0, 0), (2, "Progressing", 10, 0), (3, "Progressing", 10, 1),
        (4, "Failed", 0, 0),
    ])

    static let traffic = (0..<5).flatMap { second in
        [
            NamedTrafficSample(
                run: "users",
                sample: TrafficSample(t: Double(second), status: 200, version: "6.0.0", latencyMs: 3.5, count: 18)
            ),
            NamedTrafficSample(
                run: "users",
                sample: TrafficSample(t: Double(second), status: 500, version: "6.0.1", latencyMs: 12, count: 2)
            ),
        ]
    }

    static func run() -> RunResult {
        let observations = ScenarioObservations(canaries: ["podinfo.test": timeline], traffic: traffic, timeScale: 0.1)
        let passed = ScenarioResult(
            name: "rollback-500",
            file: "scenarios/rollback-500.yaml",
            description: "The new release answers 500s; Failed & rolled back <fast>.",
            passed: true,
            duration: 4.2,
            steps: [StepResult(list: "steps", index: 0, name: "wait podinfo Failed", status: .passed, duration: 4)],
            failure: nil,
            observations: observations,
            expectedFinalPhase: "Failed"
        )
        let failedAssertion = AssertionResult(
            name: "timeline.finalPhase (podinfo.test)",
            passed: false,
            message:
                "expected final phase Succeeded, observed Failed\nobserved timeline of podinfo.test: 0.0s Initialized w0/0 fc0"
        )
        let failed = ScenarioResult(
            name: "promote",
            file: "scenarios/promote.yaml",
            description: "Release 6.0.1 by a Git commit.",
            passed: false,
            duration: 5,
            steps: [
                StepResult(
                    list: "steps",
                    index: 0,
                    name: "assert timeline",
                    status: .failed,
                    duration: 0.1,
                    message: "x",
                    assertions: [failedAssertion]
                ),
                StepResult(list: "finally", index: 0, name: "stop traffic users", status: .passed, duration: 0.1),
            ],
            failure:
                "step 1 \"assert timeline\" failed: timeline.finalPhase (podinfo.test): expected final phase Succeeded, observed Failed\nobserved timeline of podinfo.test: 0.0s Initialized w0/0 fc0",
            observations: observations,
            expectedFinalPhase: "Succeeded",
            diagnostics: ["promote/diagnostics/canary.txt"]
        )
        let second = ScenarioResult(
            name: "ab-header",
            file: "scenarios/rollback-500.yaml",
            description: nil,
            passed: true,
            duration: 1,
            steps: [],
            failure: nil,
            observations: ScenarioObservations()
        )
        return RunResult(scenarios: [passed, failed, second], wallTime: 7.25, backend: "local", timeScale: 0.1)
    }

    /// Collects the JUnit structure with Foundation's XML parser.
    final class JUnitReader: NSObject, XMLParserDelegate {
        var suites: [(name: String, tests: String, failures: String)] = []
        var cases: [(suite: String, name: String)] = []
        var failures: [(testcase: String, message: String)] = []
        private var currentCase = ""

        func parser(
            _ parser: XMLParser,
            didStartElement element: String,
            namespaceURI: String?,
            qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            switch element {
            case "testsuite":
                suites.append((attributes["name"] ?? "", attributes["tests"] ?? "", attributes["failures"] ?? ""))
            case "testcase":
                currentCase = attributes["name"] ?? ""
                cases.append((suites.last?.name ?? "", currentCase))
            case "failure": failures.append((currentCase, attributes["message"] ?? ""))
            default: break
            }
        }
    }

    @Test func junitIsValidXMLWithASuitePerFileAndACasePerScenario() throws {
        let xml = JUnitReport.render(Self.run())
        let parser = XMLParser(data: Data(xml.utf8))
        let reader = JUnitReader()
        parser.delegate = reader
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(reader.suites.map(\.name) == ["scenarios/rollback-500.yaml", "scenarios/promote.yaml"])
        #expect(reader.suites.map(\.tests) == ["2", "1"])
        #expect(reader.suites.map(\.failures) == ["0", "1"])
        #expect(reader.cases.map(\.name) == ["rollback-500", "ab-header", "promote"])
        #expect(reader.failures.count == 1)
        #expect(reader.failures.first?.testcase == "promote")
        #expect(
            reader.failures.first?.message.contains(
                "timeline.finalPhase (podinfo.test): expected final phase Succeeded, observed Failed"
            ) == true
        )
        // The body keeps the observed timeline.
        #expect(xml.contains("observed timeline of podinfo.test: 0.0s Initialized w0/0 fc0"))
    }

    @Test func theHTMLReportChartsEveryMetricWithPhasesShaded() throws {
        let html = HTMLReport.render(Self.run())
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        let svgStart = try #require(html.range(of: "<svg class=\"chart\""))
        let svgEnd = try #require(html.range(of: "</svg>", range: svgStart.upperBound..<html.endIndex))
        let svg = String(html[svgStart.lowerBound..<svgEnd.upperBound])
        // The SVG is well-formed XML on its own.
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        for metric in ["canaryWeight", "successRate", "latencyMs"] {
            #expect(svg.components(separatedBy: "data-metric=\"\(metric)\"").count == 2, "one series for \(metric)")
        }
        #expect(svg.components(separatedBy: "<polyline").count == 4)
        #expect(svg.contains("data-phase=\"Progressing\""))
        #expect(svg.contains("data-phase=\"Failed\""))
        // 10 % of responses failed each second: the success-rate series is a flat line at 90 %.
        let success = try #require(
            svg.components(separatedBy: "data-metric=\"successRate\"").last?.components(separatedBy: "points=\"")
                .dropFirst().first
        )
        let ys = success.prefix { $0 != "\"" }.split(separator: " ").compactMap {
            $0.split(separator: ",").last.flatMap { Double($0) }
        }
        #expect(ys.count == 5)
        #expect(Set(ys).count == 1)
        // Text from scenarios is escaped.
        #expect(html.contains("Failed &amp; rolled back &lt;fast&gt;."))
        #expect(html.contains("timeline.finalPhase (podinfo.test)"))
        #expect(html.contains("href=\"promote/diagnostics/canary.txt\""))
    }

    @Test func theHTMLSummaryLeadsWithFailuresTheirStepAndDiagnostics() throws {
        let html = HTMLReport.render(Self.run())
        let summaryEnd = try #require(html.range(of: "</table>"))
        let summary = String(html[..<summaryEnd.lowerBound])
        let failed = try #require(summary.range(of: "href=\"#scenario-promote\""))
        let passed = try #require(summary.range(of: "href=\"#scenario-rollback-500\""))
        #expect(failed.lowerBound < passed.lowerBound)
        #expect(summary.contains("step 1 &quot;assert timeline&quot; failed: timeline.finalPhase (podinfo.test)"))
        #expect(summary.contains("diagnostics: <a href=\"promote/diagnostics/canary.txt\">"))
        // The sections follow the same order.
        let sections = html[summaryEnd.upperBound...]
        let failedSection = try #require(sections.range(of: "<section id=\"scenario-promote\""))
        let passedSection = try #require(sections.range(of: "<section id=\"scenario-rollback-500\""))
        #expect(failedSection.lowerBound < passedSection.lowerBound)
    }

    @Test func aScenarioWithoutTrafficStillHasASeriesPerMetric() {
        let svg = TimelineChart.render(canary: "podinfo.test", timeline: Self.timeline, traffic: [])
        #expect(svg.components(separatedBy: "<polyline").count == 4)
        #expect(svg.contains("no traffic recorded"))
    }

    @Test func timelineLinesAreJSONInTimeOrder() throws {
        let text = TimelineFile.render(canary: Self.timeline, traffic: Self.traffic)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 15)
        var last = -1.0
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let t = try #require(object["t"] as? Double)
            #expect(t >= last)
            last = t
        }
        #expect(
            lines[0]
                == #"{"t":0,"phase":"Initialized","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0}"#
        )
        #expect(
            lines[1]
                == #"{"t":0,"kind":"traffic","status":200,"version":"6.0.0","latencyMs":3.5,"count":18,"run":"users"}"#
        )
    }

    @Test func theSummarySaysWhatPromotedWhatRolledBackAndWhetherThatWasExpected() {
        let summary = TerminalSummary.render(Self.run())
        let lines = summary.split(separator: "\n", omittingEmptySubsequences: false)
        // Failed scenarios lead, each with its failing step and assertion message in the row.
        #expect(lines[0].hasPrefix("✘ FAIL  promote"))
        #expect(lines[0].hasSuffix("podinfo.test rolled back (expected Succeeded)"))
        #expect(
            lines[1].hasPrefix(
                "        ↳ step 1 \"assert timeline\" failed: timeline.finalPhase (podinfo.test): expected final phase "
            )
        )
        #expect(lines[2].hasPrefix("✔ PASS  rollback-500"))
        #expect(lines[2].hasSuffix("podinfo.test rolled back (expected)"))
        #expect(summary.contains("    step 1 \"assert timeline\" failed: timeline.finalPhase (podinfo.test)"))
        #expect(summary.contains("    diagnostics: promote/diagnostics/canary.txt"))
        #expect(
            summary.hasSuffix("3 scenario(s): 2 passed, 1 failed — backend local, time scale 0.1, wall time 7.3s\n")
        )
    }

    @Test func theWriterPutsEveryReportInTheDirectory() throws {
        let dir = NSTemporaryDirectory() + "report-\(UUID().uuidString)"
        let written = try ReportWriter.write(Self.run(), to: dir)
        #expect(
            Set(written.map { String($0.dropFirst(dir.count + 1)) }) == [
                "junit.xml", "report.html", "rollback-500/podinfo.test.timeline.jsonl",
                "promote/podinfo.test.timeline.jsonl",
            ]
        )
    }

    @Test("every .json and .jsonl file the report writer produces parses, line by line, with Foundation's parser")
    func everyJSONFileParses() throws {
        // Strings a run can carry into its timeline: event text, served versions and load names with quotes,
        // backslashes, control characters and non-ASCII; latencies and times with long fractions.
        let hostile = "say \"hi\" \\ tab\t nl\n cr\r esc\u{1B} nul\u{0} del\u{7F} sep\u{2028} é 😀"
        var timeline = Self.timeline
        timeline[1].event = hostile
        let traffic = [
            NamedTrafficSample(
                run: hostile,
                sample: TrafficSample(t: 1.23456789, status: 200, version: hostile, latencyMs: 0.1 + 0.2, count: 3)
            ),
            NamedTrafficSample(
                run: "users",
                sample: TrafficSample(t: 2.9999, status: 502, version: nil, latencyMs: 1e7 / 3, count: 1)
            ),
        ]
        let result = ScenarioResult(
            name: "hostile",
            file: "scenarios/hostile.yaml",
            description: hostile,
            passed: true,
            duration: 1,
            steps: [],
            failure: nil,
            observations: ScenarioObservations(canaries: ["podinfo.test": timeline], traffic: traffic, timeScale: 1)
        )
        let dir = NSTemporaryDirectory() + "report-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var run = Self.run()
        run.scenarios.append(result)
        let written = try ReportWriter.write(run, to: dir)
        let jsonFiles = written.filter { $0.hasSuffix(".json") || $0.hasSuffix(".jsonl") }
        #expect(jsonFiles.count == 3)
        var objects: [[String: Any]] = []
        for file in jsonFiles {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let lines = file.hasSuffix(".jsonl") ? text.split(separator: "\n").map(String.init) : [text]
            #expect(!lines.isEmpty, "\(file) is empty")
            for line in lines {
                let parsed = try JSONSerialization.jsonObject(with: Data(line.utf8))
                objects.append(try #require(parsed as? [String: Any], "\(file): \(line)"))
            }
        }
        #expect(objects.contains { $0["event"] as? String == hostile })
        #expect(objects.contains { $0["run"] as? String == hostile && $0["version"] as? String == hostile })
        #expect(objects.contains { ($0["t"] as? NSNumber)?.doubleValue == 1.235 })
    }
}
