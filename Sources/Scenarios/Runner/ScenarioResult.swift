import ObjectModel

/// How one step went.
public struct StepResult: Sendable {
    /// The step's outcome.
    public enum Status: String, Sendable {
        case passed
        case failed
        case timedOut = "timed out"
        /// Not run because an earlier step failed.
        case skipped
    }

    /// `steps`, `catch` or `finally`.
    public var list: String
    public var index: Int
    public var name: String
    public var status: Status
    /// Real seconds.
    public var duration: Double
    /// Why it failed (empty when it passed).
    public var message: String
    public var assertions: [AssertionResult]

    public init(
        list: String,
        index: Int,
        name: String,
        status: Status,
        duration: Double,
        message: String = "",
        assertions: [AssertionResult] = []
    ) {
        self.list = list
        self.index = index
        self.name = name
        self.status = status
        self.duration = duration
        self.message = message
        self.assertions = assertions
    }
}

/// How one scenario went, with everything recorded (for reports).
public struct ScenarioResult: Sendable {
    public var name: String
    public var file: String
    public var description: String?
    public var passed: Bool
    /// Real seconds from start to the end of `finally`.
    public var duration: Double
    public var steps: [StepResult]
    /// The first failure, in one paragraph: which step, which assertion, what was observed.
    public var failure: String?
    public var observations: ScenarioObservations
    /// The phase the scenario expects its canary to end in (from a `timeline.finalPhase` assertion), if any.
    public var expectedFinalPhase: String?
    /// Files collected on failure, relative to the report directory.
    public var diagnostics: [String]

    public init(
        name: String,
        file: String,
        description: String?,
        passed: Bool,
        duration: Double,
        steps: [StepResult],
        failure: String?,
        observations: ScenarioObservations,
        expectedFinalPhase: String? = nil,
        diagnostics: [String] = []
    ) {
        self.name = name
        self.file = file
        self.description = description
        self.passed = passed
        self.duration = duration
        self.steps = steps
        self.failure = failure
        self.observations = observations
        self.expectedFinalPhase = expectedFinalPhase
        self.diagnostics = diagnostics
    }

    /// Every assertion evaluated, in order.
    public var assertions: [AssertionResult] { steps.flatMap(\.assertions) }

    /// The failure's first line (the failing step and its assertion's message), cut to `limit` characters: what a
    /// summary row shows. Nil when the scenario passed.
    public func failureHeadline(limit: Int = 240) -> String? {
        guard let failure else { return nil }
        let line = failure.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? failure
        return line.count > limit ? String(line.prefix(limit - 1)) + "…" : line
    }

    /// `podinfo.test: promoted`, `podinfo.test: rolled back` for each canary observed, by final phase.
    public var outcomes: [(canary: String, outcome: String, phase: String)] {
        observations.canaries.keys.sorted().compactMap { key in
            guard let phase = observations.canaries[key]?.last?.phase else { return nil }
            let outcome =
                switch phase {
                case "Succeeded": "promoted"
                case "Failed": "rolled back"
                default: "ended \(phase)"
                }
            return (key, outcome, phase)
        }
    }
}

/// All scenarios of one `run`.
public struct RunResult: Sendable {
    public var scenarios: [ScenarioResult]
    /// Real seconds for the whole run.
    public var wallTime: Double
    public var backend: String
    public var timeScale: Double

    public init(scenarios: [ScenarioResult], wallTime: Double, backend: String, timeScale: Double) {
        self.scenarios = scenarios
        self.wallTime = wallTime
        self.backend = backend
        self.timeScale = timeScale
    }

    public var passed: Bool { scenarios.allSatisfy(\.passed) }
    public var failedCount: Int { scenarios.filter { !$0.passed }.count }
}
