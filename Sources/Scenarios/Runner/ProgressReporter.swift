import Foundation

/// Shows what each running scenario is doing. On a terminal: one live line per running scenario, redrawn in
/// place (phase, weight, failedChecks, elapsed, current step), and a permanent line when one finishes. Otherwise
/// (CI logs, pipes): a plain line whenever a scenario's state changes.
public actor ProgressReporter {
    /// What a scenario is doing now.
    public struct State: Sendable, Equatable {
        public var phase: String?
        public var canaryWeight: Int?
        public var failedChecks: Int?
        public var step: String
        public var stepIndex: Int
        public var stepCount: Int

        public init(
            phase: String? = nil,
            canaryWeight: Int? = nil,
            failedChecks: Int? = nil,
            step: String = "",
            stepIndex: Int = 0,
            stepCount: Int = 0
        ) {
            self.phase = phase
            self.canaryWeight = canaryWeight
            self.failedChecks = failedChecks
            self.step = step
            self.stepIndex = stepIndex
            self.stepCount = stepCount
        }
    }

    private let live: Bool
    private let write: @Sendable (String) -> Void
    private var active: [String] = []
    private var states: [String: (state: State, started: ContinuousClock.Instant)] = [:]
    private var drawnLines = 0
    private var lastDraw = ContinuousClock.Instant.now - .seconds(1)

    /// `live`: redraw lines in place (a TTY). `write` receives text to output as is (default: standard error).
    public init(live: Bool, write: @escaping @Sendable (String) -> Void = ProgressReporter.standardError) {
        self.live = live
        self.write = write
    }

    /// Live when standard error is a terminal and TERM is not `dumb`.
    public static func forStandardError() -> ProgressReporter {
        let terminal = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
        return ProgressReporter(live: terminal)
    }

    public static let standardError: @Sendable (String) -> Void = { text in
        FileHandle.standardError.write(Data(text.utf8))
    }

    public func started(_ scenario: String) {
        active.append(scenario)
        states[scenario] = (State(), .now)
        if live { redraw(force: true) } else { write("[\(scenario)] started\n") }
    }

    public func update(_ scenario: String, _ state: State) {
        guard let previous = states[scenario] else { return }
        states[scenario] = (state, previous.started)
        if live {
            // Redrawn (throttled) even when unchanged, so the elapsed time ticks.
            redraw(force: false)
        } else if previous.state != state {
            write(line(scenario, state, started: previous.started) + "\n")
        }
    }

    public func finished(_ scenario: String, passed: Bool, summary: String) {
        let started = states[scenario]?.started ?? .now
        active.removeAll { $0 == scenario }
        states[scenario] = nil
        let elapsed = (ContinuousClock.Instant.now - started).shortDescription
        let text = "\(passed ? "✔" : "✘") \(scenario) \(passed ? "passed" : "FAILED") in \(elapsed): \(summary)\n"
        if live {
            clear()
            write(text)
            redraw(force: true)
        } else {
            write(text)
        }
    }

    /// The text of a progress line: `promote  Progressing w20 fc0  12.3s  [4/9] wait podinfo Succeeded`.
    nonisolated func line(_ scenario: String, _ state: State, started: ContinuousClock.Instant) -> String {
        var parts = ["[\(scenario)]", (ContinuousClock.Instant.now - started).shortDescription]
        if let phase = state.phase {
            parts.append("\(phase) weight=\(state.canaryWeight ?? 0) failedChecks=\(state.failedChecks ?? 0)")
        }
        if state.stepCount > 0 { parts.append("step \(state.stepIndex + 1)/\(state.stepCount): \(state.step)") }
        return parts.joined(separator: "  ")
    }

    private func clear() {
        guard drawnLines > 0 else { return }
        write("\u{1B}[\(drawnLines)A\r\u{1B}[J")
        drawnLines = 0
    }

    private func redraw(force: Bool) {
        let now = ContinuousClock.Instant.now
        guard force || now - lastDraw >= .milliseconds(100) else { return }
        lastDraw = now
        clear()
        var text = ""
        for scenario in active {
            guard let entry = states[scenario] else { continue }
            text += "\u{1B}[2K" + line(scenario, entry.state, started: entry.started) + "\n"
        }
        drawnLines = active.count
        write(text)
    }
}
