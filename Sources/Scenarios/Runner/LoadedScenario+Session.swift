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

    /// The Flux objects (sources and Kustomizations) the scenario's `apply` steps create, in step order: what a
    /// wait that times out looks at to say why nothing happened.
    public var fluxObjects: [ObjectReference] {
        let kinds: Set = ["GitRepository", "OCIRepository", "Kustomization", "HelmRelease"]
        var references: [ObjectReference] = []
        for step in allSteps {
            guard case .apply(let apply) = step.action,
                let documents = try? manifests(file: apply.file, inline: apply.manifests)
            else { continue }
            for document in documents {
                guard let kind = document["kind"]?.scalarValue, kinds.contains(kind),
                    let name = document.find(["metadata", "name"])?.scalarValue
                else { continue }
                let namespace =
                    document.find(["metadata", "namespace"])?.scalarValue ?? apply.namespace ?? scenario.spec.namespace
                let reference = ObjectReference(kind: kind, name: name, namespace: namespace)
                if !references.contains(reference) { references.append(reference) }
            }
        }
        return references
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

    /// Performs an action that acts on the stack through `session` — commit, merge, apply, delete, gate, fault —
    /// as the runner does and `--dry-run` plans it. Returns false for the others (traffic, waits, sleeps and
    /// assertions, which the caller handles).
    public func performOnCluster(_ action: StepAction, session: any ScenarioSession) async throws -> Bool {
        let spec = scenario.spec
        switch action {
        case .commit(let commit):
            try await session.commit(
                branch: commit.branch ?? spec.git?.effectiveBranches.first ?? "main",
                message: commit.message ?? "rollout-e2e: update",
                changes: commit.changes,
                waitForFlux: commit.waitForFlux ?? true
            )
        case .merge(let merge):
            try await session.merge(
                from: merge.from,
                into: merge.into,
                message: merge.message ?? "Merge \(merge.from) into \(merge.into)"
            )
        case .apply(let apply):
            try await session.apply(
                try manifests(file: apply.file, inline: apply.manifests),
                namespace: apply.namespace ?? spec.namespace
            )
        case .delete(let delete):
            try await session.delete(try references(delete))
        case .gate(let gate):
            try await session.setGate(
                canary: gate.canary,
                namespace: gate.namespace ?? spec.namespace,
                type: gate.type,
                open: gate.action == .open
            )
        case .fault(let fault):
            try await session.fault(fault, namespace: spec.namespace)
        case .traffic, .sleep, .wait, .assert:
            return false
        }
        return true
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
