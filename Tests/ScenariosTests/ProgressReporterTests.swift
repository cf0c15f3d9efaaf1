import Foundation
import Scenarios
import Testing

/// Progress output: redrawn live lines on a terminal, plain lines elsewhere.
struct ProgressReporterTests {
    private static let state = ProgressReporter.State(
        phase: "Progressing",
        canaryWeight: 20,
        failedChecks: 1,
        step: "wait podinfo Succeeded",
        stepIndex: 3,
        stepCount: 9
    )

    @Test func plainOutputHasOneLinePerChange() async {
        let output = ScenarioRunnerTests.Output()
        let reporter = ProgressReporter(live: false, write: output.write)
        await reporter.started("promote")
        await reporter.update("promote", Self.state)
        await reporter.update("promote", Self.state)
        await reporter.finished("promote", passed: true, summary: "podinfo.test promoted")
        let lines = output.value.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0] == "[promote] started")
        #expect(lines[1].hasPrefix("[promote]  "))
        #expect(lines[1].hasSuffix("Progressing weight=20 failedChecks=1  step 4/9: wait podinfo Succeeded"))
        #expect(lines[2].hasPrefix("✔ promote passed in "))
        #expect(lines[2].hasSuffix(": podinfo.test promoted"))
        #expect(!output.value.contains("\u{1B}"))
    }

    @Test func liveOutputRedrawsInPlaceAndKeepsFinishedLines() async {
        let output = ScenarioRunnerTests.Output()
        let reporter = ProgressReporter(live: true, write: output.write)
        await reporter.started("promote")
        await reporter.started("rollback-500")
        await reporter.finished("promote", passed: false, summary: "podinfo.test rolled back")
        let text = output.value
        // Two live lines were drawn, then erased (cursor up 2, clear) before the permanent result line.
        #expect(text.contains("\u{1B}[2A\r\u{1B}[J✘ promote FAILED in "))
        #expect(text.hasSuffix("\u{1B}[2K[rollback-500]  0.0s\n"))
    }
}
