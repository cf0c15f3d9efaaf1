import Foundation
import ObjectModel
import YAML

/// What the scenario's Git content and applied manifests hold, as far as validation and the runner care: the
/// files, the canaries and the ingress hosts.
public struct ScenarioContent: Sendable {
    /// The Git content directory (resolved), when the scenario has one.
    public var gitDirectory: String?
    /// Files in the Git content, relative to its root.
    public var gitFiles: Set<String> = []
    /// Canary names found in the Git content and in `apply` files and inline manifests.
    public var canaries: Set<String> = []
    /// Hosts of the Ingress objects found, in file order.
    public var ingressHosts: [String] = []

    public init() {}

    static func read(
        _ scenario: Scenario,
        directory: String,
        context: ValidationContext,
        problems: inout [Diagnostic]
    ) -> ScenarioContent {
        var content = ScenarioContent()
        if let git = scenario.spec.git {
            let path = resolve(git.content, against: directory)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                content.gitDirectory = path
                for relative in files(under: path) {
                    content.gitFiles.insert(relative)
                    guard relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") else { continue }
                    content.add(manifestsAt: path + "/" + relative)
                }
            } else {
                problems.append(context.error(["spec", "git", "content"], "no such directory: \(path)"))
            }
        }
        let lists: [(String, [Step])] = [
            ("steps", scenario.spec.steps), ("catch", scenario.spec.catch ?? []),
            ("finally", scenario.spec.finally ?? []),
        ]
        for (list, steps) in lists {
            for (index, step) in steps.enumerated() {
                guard case .apply(let apply) = step.action else { continue }
                if let file = apply.file {
                    let path = resolve(file, against: directory)
                    if FileManager.default.fileExists(atPath: path) {
                        content.add(manifestsAt: path)
                    } else {
                        problems.append(
                            context.error(["spec", list, "\(index)", "apply", "file"], "no such file: \(path)")
                        )
                    }
                }
                for manifest in apply.manifests ?? [] { content.add(manifest) }
            }
        }
        return content
    }

    /// `path` relative to `directory` unless absolute.
    public static func resolve(_ path: String, against directory: String) -> String {
        if path.hasPrefix("/") || directory.isEmpty { return path }
        return directory + "/" + path
    }

    /// Regular files under `root`, relative to it, sorted; hidden entries skipped.
    static func files(under root: String) -> [String] {
        let base = URL(fileURLWithPath: root)
        let enumerator = FileManager.default.enumerator(
            at: base,
            includingPropertiesForKeys: [.isRegularFileKey],
            options: [.skipsHiddenFiles]
        )
        var found: [String] = []
        while let url = enumerator?.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            found.append(
                String(url.standardizedFileURL.path.dropFirst(base.standardizedFileURL.path.count).drop { $0 == "/" })
            )
        }
        return found.sorted()
    }

    private mutating func add(manifestsAt path: String) {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8),
            let documents = try? YAMLParser.parse(text, file: path)
        else { return }
        for document in documents { add(document.node) }
    }

    private mutating func add(_ node: Node) {
        switch node["kind"]?.scalarValue {
        case "Canary":
            if let name = node.find(["metadata", "name"])?.scalarValue { canaries.insert(name) }
        case "Ingress":
            for rule in node.find(["spec", "rules"])?.items ?? [] {
                if let host = rule["host"]?.scalarValue, !ingressHosts.contains(host) { ingressHosts.append(host) }
            }
        default:
            break
        }
    }
}
