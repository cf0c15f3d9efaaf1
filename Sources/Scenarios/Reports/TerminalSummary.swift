import Foundation

/// The end-of-run summary: one line per scenario (what promoted, what rolled back, whether that was expected),
/// then each failure with its message, then totals and the wall time.
public enum TerminalSummary {
    public static func render(_ run: RunResult, color: Bool = false) -> String {
        func paint(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        var lines: [String] = []
        let width = max(8, run.scenarios.map(\.name.count).max() ?? 8)
        // Failed scenarios first, each with its failing step and assertion message under it.
        for result in HTMLReport.failedFirst(run.scenarios) {
            let mark = result.passed ? paint("✔ PASS", "32") : paint("✘ FAIL", "31")
            let outcomes = result.outcomes.map { "\($0.canary) \($0.outcome)" }.joined(separator: ", ")
            var expectation = ""
            if let expected = result.expectedFinalPhase {
                let matched = result.outcomes.contains { $0.phase == expected }
                expectation = matched ? " (expected)" : " (expected \(expected))"
            }
            let name = result.name.padding(toLength: width, withPad: " ", startingAt: 0)
            let duration = "\((result.duration * 10).rounded() / 10)s".leftPadded(to: 7)
            lines.append(
                "\(mark)  \(name)  \(duration)  \(outcomes.isEmpty ? "no canary observed" : outcomes)\(expectation)"
            )
            if let headline = result.failureHeadline(limit: 200) {
                lines.append(String(repeating: " ", count: 8) + paint("↳ " + headline, "31"))
            }
        }
        let failed = run.scenarios.filter { !$0.passed }
        if !failed.isEmpty {
            lines.append("")
            for result in failed {
                lines.append(paint("✘ \(result.name)", "31") + " (\(result.file))")
                for line in (result.failure ?? "failed").split(separator: "\n", omittingEmptySubsequences: false) {
                    lines.append("    " + line)
                }
                if !result.diagnostics.isEmpty {
                    lines.append("    diagnostics: " + result.diagnostics.joined(separator: ", "))
                }
            }
        }
        lines.append("")
        let passed = run.scenarios.count - failed.count
        let wall = (run.wallTime * 10).rounded() / 10
        lines.append(
            "\(run.scenarios.count) scenario(s): \(passed) passed, \(failed.count) failed — backend \(run.backend), "
                + "time scale \(run.timeScale), wall time \(wall)s"
        )
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
