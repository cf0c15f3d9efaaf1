import ArgumentParser
import Foundation
import LocalBackend
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

            Exit status: 0 all passed; 1 a scenario failed; 2 bad input; 3 the machine lacks a tool (the message \
            says how to install it) or, on kind, the cluster is not up.

            Before trusting a faster --time-scale on your own scenarios, add --compare-time-scale with a slower one \
            (1 is Flagger's real pace): the scenarios run at --time-scale, then again at the other scale, and for \
            every canary the phases it went through, the canary weights it stepped through and its highest \
            failedChecks must be the same at both (only the clock may differ). Each run's reports go to \
            <report-dir>/time-scale-<F>/; where the decisions differ the command says where and exits 1.

            The kind backend runs the scenarios one at a time on its cluster (--parallel is ignored there): they \
            share the namespaces test and apps. Run `rollout-e2e up --backend kind` first. With --dry-run it \
            prints each scenario's commands instead (no Docker, kind or cluster needed) and checks them against \
            the rules of the pinned kubectl and Flux.

            Examples:
              rollout-e2e run
              rollout-e2e run scenarios/promote.yaml --time-scale 0.02
              rollout-e2e run scenarios/ --parallel 16 --time-scale 0.02 --podinfo .build/release/podinfo
              rollout-e2e run scenarios/ --parallel 10 --report-dir build/e2e
              rollout-e2e run scenarios/promote.yaml --backend kind --dry-run
              rollout-e2e run scenarios/step-weights.yaml --time-scale 0.02 --compare-time-scale 0.05
            """
    )

    @Argument(help: "Scenario files, or directories to search for them (default: scenarios).")
    var paths: [String] = []

    @OptionGroup var options: BackendOptions

    @Option(help: "How many scenarios run at once.")
    var parallel: Int = 4

    @Option(help: "Where reports go (default: <work-dir>/reports).")
    var reportDir: String?

    @Option(
        help: ArgumentHelp(
            "Run the scenarios at this time scale too and check each canary decided alike (local backend).",
            discussion: """
                Compares per canary the phases, canary weights and max failedChecks of the run at --time-scale \
                with a run at this scale, e.g. --time-scale 0.02 --compare-time-scale 1.
                """,
            valueName: "F"
        )
    )
    var compareTimeScale: Double?

    func validate() throws {
        if options.dryRun, options.backend != .kind {
            throw ValidationError(
                "--dry-run plans the kind backend's commands (add --backend kind); the local backend only runs for real"
            )
        }
        guard parallel >= 1 else { throw ValidationError("--parallel must be at least 1, found \(parallel)") }
        if options.backend == .kind, options.timeScale != 1 {
            throw ValidationError(
                "--time-scale applies to the local backend only: on kind, Flagger runs at the pace its Canaries set"
            )
        }
        if let compareTimeScale {
            guard options.backend == .local, !options.dryRun else {
                throw ValidationError("--compare-time-scale runs the scenarios twice on the local backend")
            }
            guard compareTimeScale > 0, compareTimeScale <= 1 else {
                throw ValidationError("--compare-time-scale must be in (0, 1], found \(compareTimeScale)")
            }
            guard compareTimeScale != options.timeScale else {
                throw ValidationError(
                    "--compare-time-scale \(Self.label(compareTimeScale)) is the run's own --time-scale; give another"
                )
            }
        }
    }

    func run() async throws {
        let scenarios = try Self.loadScenarios(paths.isEmpty ? ["scenarios"] : paths)
        if options.dryRun {
            try await KindCommands.plan(options, scenarios: scenarios)
            return
        }
        let backend = try await ScenarioBackends.make(options)
        let reportDirectory = reportDir ?? options.workDir + "/reports"
        guard let compareTimeScale else {
            // One cluster, one set of namespaces: on kind scenarios take turns, and Flagger runs at its real pace.
            let onKind = options.backend == .kind
            let result = try await runOnce(
                scenarios,
                on: backend,
                timeScale: onKind ? 1 : options.timeScale,
                parallel: onKind ? 1 : parallel,
                reportDirectory: reportDirectory
            )
            if !result.passed { throw CLIError.failed("\(result.failedCount) scenario(s) failed") }
            return
        }
        // One run after the other: both use the same sessions in the work directory, and a run at full speed
        // beside a scaled one would load the machine the scaled one is being judged on.
        var results: [RunResult] = []
        var directories: [String] = []
        for scale in [options.timeScale, compareTimeScale] {
            let directory = reportDirectory + "/time-scale-" + Self.label(scale)
            try? FileManager.default.removeItem(atPath: directory)
            print("== time scale \(Self.label(scale))")
            results.append(
                try await runOnce(
                    scenarios,
                    on: backend,
                    timeScale: scale,
                    parallel: parallel,
                    reportDirectory: directory
                )
            )
            directories.append(directory)
        }
        let comparison: TimelineComparison
        do {
            comparison = try TimelineComparison.load(
                left: directories[0],
                leftLabel: Self.label(options.timeScale),
                right: directories[1],
                rightLabel: Self.label(compareTimeScale),
                scenarios: Set(scenarios.map(\.name))
            )
        } catch {
            throw CLIError.environment("cannot read the timelines the runs wrote: \(error)")
        }
        print("")
        print(comparison.render(color: isatty(STDOUT_FILENO) == 1), terminator: "")
        let failed = results.map(\.failedCount).reduce(0, +)
        guard comparison.agrees else {
            let differing = comparison.entries.filter { !$0.agrees }.map { "\($0.scenario) \($0.canary)" }
            throw CLIError.failed(
                "decisions differ between time scales \(Self.label(options.timeScale)) and "
                    + "\(Self.label(compareTimeScale)): \(differing.joined(separator: ", "))"
            )
        }
        if failed > 0 {
            throw CLIError.failed("decisions agree, but \(failed) scenario run(s) failed (see the summaries above)")
        }
    }

    /// Runs the scenarios once, prints the summary and writes the reports.
    private func runOnce(
        _ scenarios: [LoadedScenario],
        on backend: any ScenarioBackend,
        timeScale: Double,
        parallel: Int,
        reportDirectory: String
    ) async throws -> RunResult {
        let runner = ScenarioRunner(
            backend: backend,
            options: RunnerOptions(parallel: parallel, timeScale: timeScale, reportDirectory: reportDirectory),
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
        return result
    }

    /// A time scale as users write it: `0.02`, `1`.
    static func label(_ scale: Double) -> String { String(format: "%g", scale) }

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

/// The seam between the CLI and the backends: which ``ScenarioBackend`` runs scenarios for `--backend`, after a
/// preflight that reports what the machine lacks (exit 3, with how to install it) before any scenario starts.
enum ScenarioBackends {
    static func make(_ options: BackendOptions) async throws -> any ScenarioBackend {
        switch options.backend {
        case .local:
            do {
                _ = try RequiredBinaries.locate()
                _ = try LocalStack.locatePodinfo(options.podinfo)
            } catch let error as LocalBackendError {
                throw CLIError.environment(error.message)
            }
            return LocalScenarioBackend(workDirectory: options.workDir, podinfoPath: options.podinfo)
        case .kind:
            return try await KindCommands.scenarioBackend(options)
        }
    }
}
