import ArgumentParser
import CanaryEngine
import Foundation
import ObjectModel
import YAML

/// `rollout-e2e analyze`: replay Flagger's canary analysis offline, tick by tick (DESIGN.md §6).
struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Replay a Canary through Flagger's analysis offline and print one JSON line per tick.",
        discussion: """
            Feeds the Canary in CANARY.yaml and the ticks in TICKS.yaml to the canary engine, which makes the \
            decisions Flagger v1.44.0 makes for the same inputs (NGINX provider). Each tick is one advanceCanary \
            call; the first tick sees a new Canary with its target at revision "v1". Omitted tick fields mean \
            healthy: deployments ready, webhooks answer 200 (a rollback hook 403), every metric passes.

            Tick fields: revision, configs, metrics {name: value | null (no values) | "error text"}, \
            webhooks {name: status | "timeout"}, \
            canaryReady, primaryReady, primaryDeadlineExceeded, canaryDeadlineExceeded.

            Output (stdout): one JSON object per line and tick, with the keys tick, phase, canaryWeight, \
            routerWeight, failedChecks, iterations and events, in this order. routerWeight is the weight \
            Flagger's NGINX router reports (100 while A/B header routing is on).

            With --explain, each JSON line is followed by a line starting with "# " that says what was checked and \
            why the weight moved or not.

            Exit status: 0 when the replay ran; 2 when either file is unreadable or invalid (errors are printed \
            to stderr as file:line:col: error: message). Warnings are printed the same way and the replay runs: a \
            metric that is neither builtin nor has a query or templateRef is accepted by Flagger and fails every \
            analysed tick, and so it does here.

            Example:
              cat > ticks.yaml <<'YAML'
              ticks:
                - {}
                - revision: v2
                - {}
                - metrics: {request-success-rate: 97.5}
              YAML
              rollout-e2e analyze canary.yaml --ticks ticks.yaml --explain
            """
    )

    @Argument(help: "The Canary manifest (other documents in the file are ignored).")
    var canary: String

    @Option(help: "The ticks to replay (YAML: `ticks:` with one entry per tick).")
    var ticks: String

    @Flag(help: "Add a human-readable line after each tick's JSON line.")
    var explain = false

    func run() async throws {
        let canaryText = try InputFiles.read(canary)
        let loaded = ManifestLoader.load(canaryText, file: canary)
        var problems = loaded.diagnostics.filter { $0.severity == .error }
        let found = loaded.objects.lazy.compactMap { $0.object as? Canary }.first
        if problems.isEmpty && found == nil {
            problems.append(
                Diagnostic(
                    file: canary,
                    mark: Mark(line: 1, column: 1),
                    message: "no flagger.app/v1beta1 Canary in this file"
                )
            )
        }
        var script: TickScript?
        let ticksText = try InputFiles.read(ticks)
        if let found {
            do {
                script = try TickScript.parse(ticksText, file: ticks, canary: found)
            } catch let error as Diagnostics {
                problems += error.items
            } catch {
                problems.append(Diagnostic(file: ticks, mark: Mark(line: 1, column: 1), message: "\(error)"))
            }
        }
        guard problems.isEmpty, let found, let script else {
            let text = problems.map(\.description).joined(separator: "\n") + "\n"
            FileHandle.standardError.write(Data(text.utf8))
            throw ExitCode(2)
        }
        // Warnings (a metric Flagger accepts but always fails, say) do not stop the replay: it shows their effect.
        let warnings = loaded.diagnostics.filter { $0.severity == .warning }
        if !warnings.isEmpty {
            FileHandle.standardError.write(Data((warnings.map(\.description).joined(separator: "\n") + "\n").utf8))
        }
        let records = await AnalyzeReplay(canary: found).run(script, explain: explain)
        var output = ""
        for record in records {
            output += record.json + "\n"
            if explain { output += record.explanation + "\n" }
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }
}
