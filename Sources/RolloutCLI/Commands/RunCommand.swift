import ArgumentParser
import Foundation
import Scenarios
import YAML

/// `rollout-e2e run`: run scenarios on a backend and report what promoted, what rolled back, and whether that is
/// what each scenario expected.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run scenarios (default: every scenario under scenarios/) and report the results.",
        discussion: """
            Each SCENARIO is a file with apiVersion rollout-e2e/v1, kind Scenario; a DIRECTORY is searched for \
            them (other YAML files, such as the Git content, are skipped). Every scenario is validated first; \
            any error stops the run before anything starts.

            Scenarios run in parallel, each in its own session of the backend. On a terminal a live line per \
            scenario shows its phase, weight, failedChecks and elapsed time; otherwise plain lines. The report \
            directory receives junit.xml, report.html (a chart per canary) and \
            <scenario>/<canary>.<namespace>.timeline.jsonl, plus diagnostics (status, events, logs) of failed \
            scenarios.

            Exit status: 0 all passed; 1 a scenario failed (or the backend cannot run scenarios); 2 bad input.

            Examples:
              rollout-e2e run
              rollout-e2e run scenarios/promote.yaml --time-scale 0.05
              rollout-e2e run scenarios/ --parallel 10 --report-dir build/e2e
            """
    )

    @Argument(help: "Scenario files, or directories to search for them (default: scenarios).")
    var paths: [String] = []

    @OptionGroup var options: BackendOptions

    @Option(help: "How many scenarios run at once.")
    var parallel: Int = 4

    @Option(help: "Where reports go (default: <work-dir>/reports).")
    var reportDir: String?

    func validate() throws {
        guard parallel >= 1 else { throw ValidationError("--parallel must be at least 1, found \(parallel)") }
    }

    func run() async throws {
        let scenarios = try Self.loadScenarios(paths.isEmpty ? ["scenarios"] : paths)
        guard let backend = ScenarioBackends.make(options) else {
            throw CLIError.failed("the \(options.backend.rawValue) backend is not wired to the scenario runner yet")
        }
        let reportDirectory = reportDir ?? options.workDir + "/reports"
        let runner = ScenarioRunner(
            backend: backend,
            options: RunnerOptions(parallel: parallel, timeScale: options.timeScale, reportDirectory: reportDirectory),
            progress: ProgressReporter.forStandardError()
        )
        let result = await runner.run(scenarios)
        let color = isatty(STDOUT_FILENO) == 1
        print(TerminalSummary.render(result, color: color), terminator: "")
        do {
            try ReportWriter.write(result, to: reportDirectory)
            print("reports: \(reportDirectory)/report.html, \(reportDirectory)/junit.xml")
        } catch {
            throw CLIError.environment("cannot write reports to \(reportDirectory): \(error)")
        }
        if !result.passed { throw CLIError.failed("\(result.failedCount) scenario(s) failed") }
    }

    /// Every scenario under `paths`, validated; prints diagnostics and exits 2 on any error.
    static func loadScenarios(_ paths: [String]) throws -> [LoadedScenario] {
        var scenarios: [LoadedScenario] = []
        var errors = 0
        for file in try InputFiles.expand(paths) {
            let text = try InputFiles.read(file)
            // Named explicitly or not, only scenario documents are run; manifests beside them are Git content.
            guard ScenarioLoader.isScenario(text: text, file: file) else {
                if paths.contains(file) {
                    throw CLIError.badInput("\(file): not a scenario (apiVersion rollout-e2e/v1, kind Scenario)")
                }
                continue
            }
            let (loaded, diagnostics) = ScenarioLoader.load(text, file: file)
            for diagnostic in diagnostics {
                FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
                if diagnostic.severity == .error { errors += 1 }
            }
            if let loaded {
                if let other = scenarios.first(where: { $0.name == loaded.name }) {
                    FileHandle.standardError.write(
                        Data("\(file):1:1: error: scenario name '\(loaded.name)' is also used by \(other.file)\n".utf8)
                    )
                    errors += 1
                }
                scenarios.append(loaded)
            }
        }
        if errors > 0 { throw CLIError.badInput("\(errors) error(s) in the scenario files; nothing was run") }
        if scenarios.isEmpty { throw CLIError.badInput("no scenario found in \(paths.joined(separator: " "))") }
        return scenarios
    }
}

/// The seam between the CLI and the backends: which ``ScenarioBackend`` runs scenarios for `--backend`.
enum ScenarioBackends {
    /// Nil until the backend implements ``ScenarioBackend``; `run` then fails instead of pretending.
    static func make(_ options: BackendOptions) -> (any ScenarioBackend)? {
        switch options.backend {
        case .local: LocalScenarioBackend(workDirectory: options.workDir)
        case .kind: nil
        }
    }
}
