import Foundation
import ObjectModel
import YAML

extension LoadedScenario {
    /// Every step: `steps`, then `catch`, then `finally`.
    public var allSteps: [Step] {
        let spec = scenario.spec
        return spec.steps + (spec.catch ?? []) + (spec.finally ?? [])
    }

    /// The namespaces the scenario uses: its `spec.namespace` first, then every other one a step names.
    public var namespaces: [String] {
        var namespaces = [scenario.spec.namespace]
        func add(_ namespace: String?) {
            if let namespace, !namespaces.contains(namespace) { namespaces.append(namespace) }
        }
        for step in allSteps {
            switch step.action {
            case .wait(let wait): add(wait.namespace)
            case .gate(let gate): add(gate.namespace)
            case .apply(let apply): add(apply.namespace)
            case .traffic(.start(let start)): add(start.until?.namespace)
            case .assert(let assert):
                add(assert.timeline?.namespace)
                add(assert.traffic?.namespace)
                add(assert.object?.namespace)
            default: break
            }
        }
        return namespaces
    }

    /// What a backend needs to open this scenario's session (the runner's and `--dry-run`'s one way to build it).
    public func sessionSetup(timeScale: Double, reportDirectory: String, clock: ScenarioClock) -> SessionSetup {
        SessionSetup(
            scenario: name,
            namespaces: namespaces,
            gitContent: content.gitDirectory,
            branches: scenario.spec.git?.effectiveBranches ?? [],
            timeScale: timeScale,
            reportDirectory: reportDirectory,
            clock: clock,
            observesWebhooks: allSteps.contains {
                if case .assert(let assert) = $0.action { return assert.webhooks != nil }
                return false
            }
        )
    }

    /// The manifests of an `apply` step: inline, or the documents of its file (relative to the scenario).
    public func manifests(file: String?, inline: [Node]?) throws -> [Node] {
        if let inline { return inline }
        guard let file else { return [] }
        let path = ScenarioContent.resolve(file, against: directory)
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw StepFailure(message: "cannot read \(path)")
        }
        return try YAMLParser.parse(text, file: path).map(\.node).filter { !$0.isNull }
    }

    /// The objects a `delete` step names.
    public func references(_ delete: DeleteAction) throws -> [ObjectReference] {
        let namespace = scenario.spec.namespace
        if let kind = delete.kind, let name = delete.name {
            return [ObjectReference(kind: kind, name: name, namespace: delete.namespace ?? namespace)]
        }
        return try manifests(file: delete.file, inline: nil).compactMap { node in
            guard let kind = node["kind"]?.scalarValue, let name = node.find(["metadata", "name"])?.scalarValue else {
                return nil
            }
            return ObjectReference(
                kind: kind,
                name: name,
                namespace: node.find(["metadata", "namespace"])?.scalarValue ?? delete.namespace ?? namespace
            )
        }
    }
}
