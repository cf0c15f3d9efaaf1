import Foundation
import ObjectModel
import YAML

/// A scenario read from a file, with what validation needs to point at lines.
public struct LoadedScenario: Sendable {
    public var scenario: Scenario
    /// The path as given.
    public var file: String
    /// The scenario document (marks intact).
    public var node: Node
    /// The Git content and manifests the scenario refers to, read from disk.
    public var content: ScenarioContent

    public var name: String { scenario.name }
    /// The directory relative paths in the scenario are resolved against.
    public var directory: String { (file as NSString).deletingLastPathComponent }
}

/// Reads scenario files: YAML → ``Scenario`` (unknown keys and type errors at `file:line:col`, with "did you
/// mean") → semantic checks (unknown canaries, files and branches, empty assertions, bad durations…).
public enum ScenarioLoader {
    /// Whether a parsed document is meant to be a scenario: its apiVersion is `rollout-e2e/…` or its kind is
    /// `Scenario`. Such documents go to the scenario validator; everything else is a Kubernetes manifest.
    public static func isScenario(_ node: Node) -> Bool {
        if node["apiVersion"]?.scalarValue?.hasPrefix("rollout-e2e/") == true { return true }
        return node["kind"]?.scalarValue == Scenario.kind
    }

    /// Whether the file's first document is a scenario (cheap enough for `validate` to route files).
    public static func isScenario(text: String, file: String) -> Bool {
        guard let documents = try? YAMLParser.parse(text, file: file), let first = documents.first else { return false }
        return isScenario(first.node)
    }

    /// Loads and validates one scenario file. `scenario` is nil when there are errors.
    public static func load(_ text: String, file: String) -> (scenario: LoadedScenario?, diagnostics: [Diagnostic]) {
        let documents: [YAMLDocument]
        do {
            documents = try YAMLParser.parse(text, file: file)
        } catch {
            return (nil, diagnostics(from: error, file: file))
        }
        let content = documents.filter { !$0.node.isNull }
        guard content.count == 1, let document = content.first else {
            let mark = content.count > 1 ? content[1].mark : Mark(line: 1, column: 1)
            return (nil, [Diagnostic(file: file, mark: mark, message: "a scenario file holds exactly one document")])
        }
        return load(document.node, file: file)
    }

    /// Loads and validates an already parsed scenario document.
    public static func load(_ node: Node, file: String) -> (scenario: LoadedScenario?, diagnostics: [Diagnostic]) {
        let context = ValidationContext(file: file, node: node)
        if let apiVersion = node["apiVersion"]?.scalarValue, apiVersion != Scenario.apiVersion {
            return (
                nil,
                [context.error(["apiVersion"], "unsupported apiVersion '\(apiVersion)'; use \(Scenario.apiVersion)")]
            )
        }
        if let kind = node["kind"]?.scalarValue, kind != Scenario.kind {
            return (
                nil, [context.error(["kind"], "a rollout-e2e file must have kind \(Scenario.kind), found '\(kind)'")]
            )
        }
        let scenario: Scenario
        do {
            scenario = try YAMLDecoder(file: file).decode(Scenario.self, from: node)
        } catch {
            return (nil, diagnostics(from: error, file: file))
        }
        let directory = (file as NSString).deletingLastPathComponent
        var problems: [Diagnostic] = []
        let content = ScenarioContent.read(scenario, directory: directory, context: context, problems: &problems)
        problems += ScenarioValidator(scenario: scenario, context: context, content: content).validate()
        problems.sort { ($0.mark.line, $0.mark.column) < ($1.mark.line, $1.mark.column) }
        let loaded = LoadedScenario(scenario: scenario, file: file, node: node, content: content)
        return (problems.contains { $0.severity == .error } ? nil : loaded, problems)
    }

    /// Loads a scenario file from disk.
    public static func load(path: String) -> (scenario: LoadedScenario?, diagnostics: [Diagnostic]) {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            return (
                nil,
                [Diagnostic(file: path, mark: Mark(line: 1, column: 1), message: "cannot read the file as UTF-8 text")]
            )
        }
        return load(text, file: path)
    }

    static func diagnostics(from error: any Error, file: String) -> [Diagnostic] {
        switch error {
        case let many as Diagnostics: many.items
        case let one as Diagnostic: [one]
        default: [Diagnostic(file: file, mark: Mark(line: 1, column: 1), message: "\(error)")]
        }
    }
}
