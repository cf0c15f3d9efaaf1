import Foundation

/// JUnit XML as CI systems read it: a `<testsuite>` per scenario file, a `<testcase>` per scenario, a `<failure>`
/// whose message names the failed step and assertion and whose body holds every failed assertion with the
/// observed timeline.
public enum JUnitReport {
    public static func render(_ run: RunResult) -> String {
        var files: [String] = []
        var byFile: [String: [ScenarioResult]] = [:]
        for result in run.scenarios {
            if byFile[result.file] == nil { files.append(result.file) }
            byFile[result.file, default: []].append(result)
        }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"rollout-e2e\" tests=\"\(run.scenarios.count)\" failures=\"\(run.failedCount)\" "
        xml += "time=\"\(XMLText.seconds(run.wallTime))\">\n"
        for file in files {
            let results = byFile[file] ?? []
            let failures = results.filter { !$0.passed }.count
            let time = results.reduce(0) { $0 + $1.duration }
            xml += "  <testsuite name=\"\(XMLText.escape(file))\" tests=\"\(results.count)\" failures=\"\(failures)\" "
            xml += "errors=\"0\" skipped=\"0\" time=\"\(XMLText.seconds(time))\">\n"
            xml += "    <properties>\n"
            xml += "      <property name=\"backend\" value=\"\(XMLText.escape(run.backend))\"/>\n"
            xml += "      <property name=\"timeScale\" value=\"\(run.timeScale)\"/>\n"
            xml += "    </properties>\n"
            for result in results {
                xml +=
                    "    <testcase classname=\"\(XMLText.escape(className(file)))\" name=\"\(XMLText.escape(result.name))\" "
                xml += "time=\"\(XMLText.seconds(result.duration))\""
                if result.passed {
                    xml += "/>\n"
                    continue
                }
                xml += ">\n"
                let message = (result.failure ?? "failed").split(separator: "\n").first.map(String.init) ?? "failed"
                xml += "      <failure message=\"\(XMLText.escape(message))\" type=\"AssertionFailure\">"
                xml += XMLText.escape(failureBody(result))
                xml += "</failure>\n"
                xml += "      <system-out>\(XMLText.escape(stepLog(result)))</system-out>\n"
                xml += "    </testcase>\n"
            }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        return xml
    }

    /// `scenarios/promote.yaml` → `scenarios.promote`.
    static func className(_ file: String) -> String {
        var name = file
        for suffix in [".yaml", ".yml"] where name.hasSuffix(suffix) { name = String(name.dropLast(suffix.count)) }
        return name.split(separator: "/").filter { $0 != "." }.joined(separator: ".")
    }

    static func failureBody(_ result: ScenarioResult) -> String {
        var lines = [result.failure ?? "failed"]
        let failed = result.assertions.filter { !$0.passed }
        if failed.count > 1 {
            lines.append("")
            lines.append("all failed assertions:")
            for assertion in failed { lines.append("- \(assertion.name): \(assertion.message)") }
        }
        if !result.diagnostics.isEmpty { lines.append("diagnostics: " + result.diagnostics.joined(separator: ", ")) }
        return lines.joined(separator: "\n")
    }

    static func stepLog(_ result: ScenarioResult) -> String {
        result.steps.map { step in
            let prefix = step.list == "steps" ? "" : step.list + " "
            return
                "\(prefix)\(step.index + 1). \(step.name): \(step.status.rawValue) (\(XMLText.seconds(step.duration))s)"
        }.joined(separator: "\n")
    }
}
