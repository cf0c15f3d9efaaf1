import ArgumentParser
import Foundation
import ObjectModel
import Scenarios
import YAML

/// `rollout-e2e validate`: schema and semantic checks of manifests (and scenarios), compiler-style errors.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check manifests and scenario files; print every problem as file:line:col.",
        discussion: """
            Reads each FILE (or every .yaml/.yml file under a DIRECTORY) as a multi-document YAML stream and checks \
            it: YAML syntax, known kinds against their schema (unknown keys are errors, with a suggestion), and the \
            rules Flagger's CRDs enforce (for example exactly one of iterations, stepWeight and stepWeights). \
            Kinds the harness does not know are accepted as they are.

            Exit status: 0 when there are no errors (warnings are printed but do not fail), 2 otherwise.

            Example:
              rollout-e2e validate scenarios/ kind-config/manifests/podinfo/canary.yaml
            """
    )

    @Argument(help: "Manifest or scenario files, or directories to search for .yaml/.yml files.")
    var paths: [String]

    func run() throws {
        let files = try InputFiles.expand(paths)
        var errors = 0
        var warnings = 0
        var objects = 0
        for file in files {
            let text = try InputFiles.read(file)
            let diagnostics: [Diagnostic]
            if ScenarioLoader.isScenario(text: text, file: file) {
                diagnostics = ScenarioLoader.load(text, file: file).diagnostics
                objects += 1
            } else {
                let loaded = ManifestLoader.load(text, file: file)
                objects += loaded.objects.count
                diagnostics = loaded.diagnostics
            }
            for diagnostic in diagnostics.sorted(by: Self.sourceOrder) {
                FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
                if diagnostic.severity == .error { errors += 1 } else { warnings += 1 }
            }
        }
        let summary = "\(files.count) file(s), \(objects) object(s): \(errors) error(s), \(warnings) warning(s)"
        if errors > 0 {
            FileHandle.standardError.write(Data((summary + "\n").utf8))
            throw ExitCode(2)
        }
        print(summary)
    }

    private static func sourceOrder(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        (a.mark.line, a.mark.column) < (b.mark.line, b.mark.column)
    }
}
