import Foundation

/// Renders a plan as text for `--dry-run`: every step in order with its exact command, bound, retries and
/// skip rule, then the content of every file it applies. Printing runs nothing.
public enum PlanPrinter {
    public static func render(_ steps: [PlanStep], heading: String, includeManifests: Bool = true) -> String {
        var out = [heading, ""]
        var shown = Set<String>()
        var manifestSections: [String] = []
        for (index, step) in steps.enumerated() {
            out.append("\(index + 1). [\(step.phase.rawValue)] \(step.title)")
            switch step.action {
            case .run(let command):
                out.append("   $ \(command)")
                if let input = command.input {
                    out.append("   standard input:")
                    out += input.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map {
                        "   | " + $0
                    }
                }
            case .runDuring(let command, let background):
                out.append("   $ \(background) &   # stopped after the next command")
                out.append("   $ \(command)")
            case .seed(let from, let to):
                out.append("   copy \(from)/* to \(to)/ (everything but .git is replaced)")
            }
            var bounds = ["timeout \(step.timeout.formattedSeconds)"]
            if let retry = step.retry {
                bounds.append("up to \(retry.attempts) attempts \(retry.delay.formattedSeconds) apart: \(retry.reason)")
            }
            out.append("   (" + bounds.joined(separator: "; ") + ")")
            if let skip = step.skip {
                out.append("   skipped when step '\(skip.stepID)' lists '\(skip.line)': \(skip.reason)")
            }
            if let capture = step.capture {
                out.append("   output kept as {{\(capture)}}")
            }
            for manifest in step.manifests where includeManifests && shown.insert(manifest).inserted {
                out.append("   applies \(manifest) (shown below)")
                manifestSections.append(render(manifest: manifest))
            }
        }
        let arguments = steps.flatMap(\.commands).flatMap(\.arguments)
        for (name, meaning) in [
            ("now", "the Unix time when the step runs"), ("revision", "the commit read by step 'gitops-revision'"),
        ] where arguments.contains(where: { $0.contains("{{\(name)}}") }) {
            out.append("   {{\(name)}} is \(meaning).")
        }
        if !manifestSections.isEmpty {
            out.append("")
            out.append(contentsOf: manifestSections)
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// One file, or every file of a kustomize directory (sorted), under `--- path` headers.
    static func render(manifest path: String) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return "--- \(path)\n(missing)\n"
        }
        let files: [String]
        if isDirectory.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            files = names.sorted().map { path + "/" + $0 }
        } else {
            files = [path]
        }
        return files.map { file in
            let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? "(unreadable)\n"
            return "--- \(file)\n" + text + (text.hasSuffix("\n") ? "" : "\n")
        }.joined()
    }
}
