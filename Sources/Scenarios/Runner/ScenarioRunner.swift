import Foundation
import ObjectModel

/// Runs scenarios on a backend, several at once, each in its own session, and records everything the reports
/// need. Never passes a scenario it could not run: a backend error is a failure.
public struct ScenarioRunner: Sendable {
    public let backend: any ScenarioBackend
    public let options: RunnerOptions
    public let progress: ProgressReporter

    public init(backend: any ScenarioBackend, options: RunnerOptions, progress: ProgressReporter) {
        self.backend = backend
        self.options = options
        self.progress = progress
    }

    /// Runs every scenario, at most `options.parallel` at a time; results in the order given.
    public func run(_ scenarios: [LoadedScenario]) async -> RunResult {
        let started = ContinuousClock.Instant.now
        let width = max(1, options.parallel)
        var results = [ScenarioResult?](repeating: nil, count: scenarios.count)
        await withTaskGroup(of: (Int, ScenarioResult).self) { group in
            var next = 0
            func startNext() {
                guard next < scenarios.count else { return }
                let index = next
                let scenario = scenarios[index]
                next += 1
                group.addTask { (index, await self.run(scenario)) }
            }
            for _ in 0..<width { startNext() }
            while let (index, result) = await group.next() {
                results[index] = result
                startNext()
            }
        }
        return RunResult(
            scenarios: results.compactMap { $0 },
            wallTime: (ContinuousClock.Instant.now - started).seconds,
            backend: backend.name,
            timeScale: options.timeScale
        )
    }

    /// Runs one scenario in a fresh session.
    public func run(_ loaded: LoadedScenario) async -> ScenarioResult {
        let scenario = loaded.scenario
        let clock = ScenarioClock(timeScale: options.timeScale)
        let directory = options.reportDirectory + "/" + scenario.name
        await progress.started(scenario.name)
        let setup = loaded.sessionSetup(timeScale: options.timeScale, reportDirectory: directory, clock: clock)
        let session: any ScenarioSession
        do {
            session = try await backend.openSession(setup)
        } catch {
            let message = "the \(backend.name) backend could not start the scenario: \(error)"
            await progress.finished(scenario.name, passed: false, summary: message)
            return ScenarioResult(
                name: scenario.name,
                file: loaded.file,
                description: scenario.metadata.description,
                passed: false,
                duration: clock.realSeconds,
                steps: [
                    StepResult(
                        list: "steps",
                        index: 0,
                        name: "open session",
                        status: .failed,
                        duration: clock.realSeconds,
                        message: message
                    )
                ],
                failure: message,
                observations: ScenarioObservations(timeScale: options.timeScale)
            )
        }
        let execution = ScenarioExecution(
            loaded: loaded,
            session: session,
            options: options,
            progress: progress,
            clock: clock
        )
        let steps = await execution.run()
        let observations = await execution.observations()
        let firstFailure = steps.first { $0.status == .failed || $0.status == .timedOut }
        let passed = firstFailure == nil
        var diagnostics: [String] = []
        if !passed {
            let target = directory + "/diagnostics"
            try? FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
            diagnostics = await session.collectDiagnostics(into: target).map { scenario.name + "/diagnostics/" + $0 }
        }
        await session.close()
        let failure = firstFailure.map { step in
            "\(step.list == "steps" ? "step" : step.list + " step") \(step.index + 1) \"\(step.name)\" \(step.status.rawValue): \(step.message)"
        }
        let result = ScenarioResult(
            name: scenario.name,
            file: loaded.file,
            description: scenario.metadata.description,
            passed: passed,
            duration: clock.realSeconds,
            steps: steps,
            failure: failure,
            observations: observations,
            expectedFinalPhase: expectedFinalPhase(scenario),
            diagnostics: diagnostics
        )
        await progress.finished(scenario.name, passed: passed, summary: outcomeSummary(result))
        return result
    }

    private func expectedFinalPhase(_ scenario: Scenario) -> String? {
        for step in scenario.spec.steps.reversed() {
            if case .assert(let assert) = step.action, let phase = assert.timeline?.finalPhase { return phase }
        }
        return nil
    }

    /// `podinfo.test promoted` / `podinfo.test rolled back`, for the progress line and the summary.
    func outcomeSummary(_ result: ScenarioResult) -> String {
        let outcomes = result.outcomes.map { "\($0.canary) \($0.outcome)" }
        let text = outcomes.isEmpty ? "no canary observed" : outcomes.joined(separator: ", ")
        return result.passed ? text : text + " — " + (result.failure ?? "failed")
    }
}
