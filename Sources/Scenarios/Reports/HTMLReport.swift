import Foundation
import ObjectModel

/// One self-contained HTML page per run: a summary table, then per scenario its chart(s) (``TimelineChart``),
/// its steps and every assertion with its result.
public enum HTMLReport {
    public static func render(_ run: RunResult) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>rollout-e2e report</title>
            <style>
            body{font:14px system-ui,sans-serif;margin:24px;color:#222}
            table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
            .pass{color:#1a7f37}.fail{color:#cf222e}pre{white-space:pre-wrap;margin:0;font-size:12px}
            section{border-top:1px solid #ccc;margin-top:24px;padding-top:8px}
            </style></head><body>
            <h1>rollout-e2e report</h1>

            """
        let passed = run.scenarios.filter(\.passed).count
        html += "<p>\(run.scenarios.count) scenario(s), \(passed) passed, \(run.failedCount) failed; backend "
        html +=
            "\(XMLText.escape(run.backend)), time scale \(run.timeScale), wall time \(XMLText.seconds(run.wallTime))s.</p>\n"
        html += "<table><tr><th>scenario</th><th>result</th><th>outcome</th><th>time</th><th>description</th></tr>\n"
        // Failed scenarios first: with twenty or more, what needs a look must not hide among the passes.
        let ordered = failedFirst(run.scenarios)
        for result in ordered {
            let outcome = result.outcomes.map { "\($0.canary) \($0.outcome)" }.joined(separator: ", ")
            html += "<tr><td><a href=\"#\(anchor(result.name))\">\(XMLText.escape(result.name))</a></td>"
            html += "<td class=\"\(result.passed ? "pass" : "fail")\">\(result.passed ? "passed" : "FAILED")</td>"
            html += "<td>\(XMLText.escape(outcome))</td><td>\(XMLText.seconds(result.duration))s</td><td>"
            if let headline = result.failureHeadline() {
                // The failing step and its assertion's message, and where the diagnostics are.
                html += "<pre class=\"fail\">\(XMLText.escape(headline))</pre>"
                if !result.diagnostics.isEmpty { html += "diagnostics: " + diagnosticLinks(result) }
            } else {
                html += XMLText.escape(result.description ?? "")
            }
            html += "</td></tr>\n"
        }
        html += "</table>\n"
        for result in ordered { html += section(result) }
        html += "</body></html>\n"
        return html
    }

    static func section(_ result: ScenarioResult) -> String {
        var html = "<section id=\"\(anchor(result.name))\"><h2 class=\"\(result.passed ? "pass" : "fail")\">"
        html += "\(XMLText.escape(result.name)) — \(result.passed ? "passed" : "FAILED")</h2>\n"
        html += "<p>\(XMLText.escape(result.description ?? "")) <small>(\(XMLText.escape(result.file)))</small></p>\n"
        if let failure = result.failure { html += "<pre class=\"fail\">\(XMLText.escape(failure))</pre>\n" }
        let traffic = result.observations.traffic.map(\.sample)
        for (canary, timeline) in result.observations.canaries.sorted(by: { $0.key < $1.key }) {
            html += "<h3>\(XMLText.escape(canary))</h3>\n"
            html += TimelineChart.render(canary: canary, timeline: timeline, traffic: traffic) + "\n"
        }
        if result.observations.canaries.isEmpty { html += "<p>No canary was observed.</p>\n" }
        html += "<h3>Steps</h3><table><tr><th>#</th><th>step</th><th>status</th><th>time</th><th>message</th></tr>\n"
        for step in result.steps {
            let css = step.status == .passed ? "pass" : (step.status == .skipped ? "" : "fail")
            html += "<tr><td>\(step.list == "steps" ? "" : step.list + " ")\(step.index + 1)</td>"
            html += "<td>\(XMLText.escape(step.name))</td><td class=\"\(css)\">\(step.status.rawValue)</td>"
            html +=
                "<td>\(XMLText.seconds(step.duration))s</td><td><pre>\(XMLText.escape(step.message))</pre></td></tr>\n"
        }
        html += "</table>\n"
        let assertions = result.assertions
        if !assertions.isEmpty {
            html +=
                "<h3>Assertions</h3><table class=\"assertions\"><tr><th>assertion</th><th>result</th><th>detail</th></tr>\n"
            for assertion in assertions {
                html += "<tr><td>\(XMLText.escape(assertion.name))</td>"
                html +=
                    "<td class=\"\(assertion.passed ? "pass" : "fail")\">\(assertion.passed ? "passed" : "FAILED")</td>"
                html += "<td><pre>\(XMLText.escape(assertion.message))</pre></td></tr>\n"
            }
            html += "</table>\n"
        }
        if !result.diagnostics.isEmpty {
            html += "<p>Diagnostics: " + diagnosticLinks(result) + "</p>\n"
        }
        html += "</section>\n"
        return html
    }

    static func diagnosticLinks(_ result: ScenarioResult) -> String {
        result.diagnostics.map { "<a href=\"\(XMLText.escape($0))\">\(XMLText.escape($0))</a>" }
            .joined(separator: ", ")
    }

    /// Failed scenarios first, each group in run order.
    static func failedFirst(_ scenarios: [ScenarioResult]) -> [ScenarioResult] {
        scenarios.filter { !$0.passed } + scenarios.filter(\.passed)
    }

    static func anchor(_ name: String) -> String { "scenario-" + name }
}
