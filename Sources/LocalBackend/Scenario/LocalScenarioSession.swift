import Foundation
import HarnessServers
import ObjectModel
import Scenarios
import YAML

/// One scenario on its own ``LocalStack``: every ``ScenarioSession`` call mapped onto the stack, traffic through its
/// ingress with ``LoadTrafficDriver``, and every `t` on the scenario's clock (the stack's timeline is restarted at the
/// clock's start, so canary observations, webhook calls, alerts and traffic share one time axis).
final class LocalScenarioSession: ScenarioSession {
    let stack: LocalStack
    let setup: SessionSetup
    let traffic: LoadTrafficDriver
    /// The wall-clock moment of the scenario clock's start, for the alert receiver's `Date`s.
    private let wallStart: Date

    private init(stack: LocalStack, setup: SessionSetup) {
        self.stack = stack
        self.setup = setup
        traffic = LoadTrafficDriver(baseURL: stack.ingressURL, clock: setup.clock)
        wallStart = Date(timeIntervalSinceNow: -setup.clock.realSeconds)
    }

    /// Starts a stack in `workDirectory` seeded from the scenario's Git content; the scenario applies its own Flux
    /// objects, so none are applied here and nothing is waited for.
    static func open(_ setup: SessionSetup, workDirectory: String, podinfoPath: String?) async throws
        -> LocalScenarioSession
    {
        var options = LocalStackOptions(
            workDirectory: workDirectory,
            timeScale: setup.timeScale,
            podinfoPath: podinfoPath,
            seed: setup.gitContent.map { .directory($0) } ?? .none,
            waitForDeployments: false
        )
        options.branches = setup.branches.isEmpty ? ["main"] : setup.branches
        options.applyFluxObjects = false
        let stack: LocalStack
        do {
            stack = try await LocalStack.start(options)
        } catch let error as LocalBackendError {
            throw ScenarioBackendError("cannot start the local stack in \(workDirectory): \(error.message)")
        }
        await stack.timeline.reset(start: setup.clock.start)
        return LocalScenarioSession(stack: stack, setup: setup)
    }

    // MARK: Cluster

    func apply(_ manifests: [Node], namespace: String) async throws {
        let keys = try await backendCall("apply") { try await stack.apply(manifests, namespace: namespace) }
        // Flux reconciles a new or changed source or Kustomization at once; a failing one shows in its status.
        if keys.contains(where: { ["GitRepository", "OCIRepository", "Kustomization"].contains($0.kind) }) {
            try? await stack.reconcileGitOps()
        }
    }

    func delete(_ objects: [ObjectReference]) async throws {
        for object in objects {
            await stack.delete(kind: object.kind, namespace: namespace(of: object), name: object.name)
        }
    }

    func object(_ reference: ObjectReference) async throws -> Node? {
        try await backendCall("read \(reference)") {
            try await stack.object(kind: reference.kind, namespace: namespace(of: reference), name: reference.name)
        }
    }

    private func namespace(of reference: ObjectReference) -> String {
        reference.namespace ?? setup.namespaces.first ?? "default"
    }

    // MARK: Git

    func commit(branch: String, message: String, changes: [FileChange]) async throws {
        try await commit(branch: branch, message: message, changes: changes, waitForFlux: true)
    }

    func commit(branch: String, message: String, changes: [FileChange], waitForFlux: Bool) async throws {
        guard let repository = stack.repository else {
            throw ScenarioBackendError("commit: the scenario has no Git content (spec.git), so there is no repository")
        }
        // Edits apply in order; several may touch one file, each seeing the previous one's result.
        var files: [String: String?] = [:]
        for change in changes {
            let current: String?
            if let edited = files[change.file] {
                current = edited
            } else {
                current = try await backendCall("read \(change.file) on \(branch)") {
                    try await repository.file(change.file, branch: branch)
                }
            }
            files[change.file] = .some(try FileEditor.apply(change, to: current))
        }
        _ = try await backendCall("commit to \(branch)") {
            try await stack.commit(files, branch: branch, message: message, reconcile: waitForFlux)
        }
        // Flux still reconciles it at once; a commit it cannot apply shows in its Kustomization's Ready condition.
        if !waitForFlux { try? await stack.reconcileGitOps() }
    }

    func merge(from: String, into: String, message: String) async throws {
        try await backendCall("merge \(from) into \(into)") {
            try await stack.merge(from: from, into: into, message: message)
        }
    }

    // MARK: Traffic

    func startTraffic(_ load: TrafficLoad) async throws { try traffic.start(load) }

    func stopTraffic(_ name: String) async throws { await traffic.stop(name) }

    func trafficSamples() async -> [NamedTrafficSample] { traffic.samples() }

    // MARK: Flagger

    func setGate(canary: String, namespace: String, type: GateAction.GateType, open: Bool) async throws {
        let loadtester = stack.loadtesterServer
        switch type {
        case .rollback: await loadtester.setRollback(canary, namespace: namespace, open: open)
        case .confirmRollout, .confirmTrafficIncrease, .confirmPromotion:
            // The loadtester keeps one approval gate per canary, as flagger-loadtester does.
            await loadtester.setGate(canary, namespace: namespace, open: open)
        }
    }

    func canaryTimeline(canary: String, namespace: String) async throws -> [CanaryObservation] {
        await stack.timeline.timeline(namespace: namespace, name: canary).compactMap { record in
            if case .canary(let observation) = record { return observation }
            return nil
        }
    }

    func alerts() async -> [ObservedAlert] {
        await stack.alerts().map { ObservedAlert(received: $0, wallStart: wallStart, clock: setup.clock) }
    }

    func webhookCalls() async -> [WebhookCall] {
        await stack.webhookCalls().map { call in
            WebhookCall(
                t: call.t,
                name: call.name,
                type: call.type,
                canary: call.canary,
                namespace: call.namespace,
                phase: call.phase,
                status: call.status
            )
        }
    }

    // MARK: Faults

    func fault(_ fault: FaultAction, namespace: String) async throws {
        guard let kind = StackFault(rawValue: fault.action.rawValue) else {
            throw ScenarioBackendError("fault: the local backend cannot \(fault.action.rawValue) anything")
        }
        switch fault.target {
        case .component(let name):
            guard let component = StackComponent(rawValue: name) else {
                let known = StackComponent.allCases.map(\.rawValue).joined(separator: ", ")
                throw ScenarioBackendError("fault: the local stack has no component '\(name)' (it has \(known))")
            }
            try await backendCall("\(fault.action.rawValue) \(name)") {
                try await stack.fault(kind, component: component)
                // A killed component crashed: on a cluster its pod is restarted, so it comes back (a stop stays down).
                if kind == .kill { try await stack.fault(.start, component: component) }
            }
        case .replica(let deployment, let target, let index):
            try await backendCall("\(fault.action.rawValue) \(fault.target)") {
                try await stack.fault(kind, namespace: target ?? namespace, deployment: deployment, replica: index)
            }
        }
    }

    // MARK: Lifecycle

    func collectDiagnostics(into directory: String) async -> [String] {
        var written: [String] = []
        let fileManager = FileManager.default
        func write(_ name: String, _ text: String) {
            if fileManager.createFile(atPath: directory + "/" + name, contents: Data(text.utf8)) {
                written.append(name)
            }
        }
        write("canaries.txt", await canaryReport())
        let state = await stack.state()
        write("stack.txt", Self.describe(state))
        // Component logs (nginx, Prometheus, Redis, every podinfo replica, loadtester) and the stack's own timelines.
        let work = stack.workDirectory
        for (source, target) in [(work.logs, "logs"), (work.timelines, "timelines")] {
            let files = ((try? fileManager.contentsOfDirectory(atPath: source)) ?? []).sorted()
            guard !files.isEmpty else { continue }
            try? fileManager.createDirectory(atPath: directory + "/" + target, withIntermediateDirectories: true)
            for file in files {
                let destination = directory + "/" + target + "/" + file
                try? fileManager.removeItem(atPath: destination)
                if (try? fileManager.copyItem(atPath: source + "/" + file, toPath: destination)) != nil {
                    written.append(target + "/" + file)
                }
            }
        }
        return written
    }

    /// Each Canary's manifest with status and every event it recorded; then the other objects' statuses in short.
    private func canaryReport() async -> String {
        var text = ""
        for stored in await stack.store.list(kind: "Canary").sorted(by: { $0.key < $1.key }) {
            text += "=== Canary \(stored.key.namespace)/\(stored.key.name)\n"
            if let node = try? await stack.object(
                kind: "Canary",
                namespace: stored.key.namespace,
                name: stored.key.name
            ) {
                text += node.yaml
            }
            if let status = await stack.canaryStatus(namespace: stored.key.namespace, name: stored.key.name) {
                text += "events:\n" + status.events.map { "  - \($0)\n" }.joined()
            }
            text += "\n"
        }
        for kind in ["Kustomization", "GitRepository", "Deployment"] {
            for stored in await stack.store.list(kind: kind).sorted(by: { $0.key < $1.key }) {
                text += "=== \(stored.key)\n"
                if let status = stored.status { text += (try? YAMLEncoder().encode(status)) ?? "\(status)\n" }
                text += "\n"
            }
        }
        return text.isEmpty ? "no Canary was created\n" : text
    }

    private static func describe(_ state: StackState) -> String {
        var lines = ["work directory: \(state.workDirectory)", "ingress: \(state.ingressURL)", "components:"]
        for component in state.components {
            let pid = component.pid.map { "pid \($0)" } ?? "stopped"
            lines.append("  \(component.name) \(pid) \(component.url ?? "")")
        }
        lines.append("deployments:")
        for deployment in state.deployments {
            lines.append(
                "  \(deployment.namespace)/\(deployment.name) ready \(deployment.ready)/\(deployment.desired), "
                    + "updated \(deployment.updated), available \(deployment.available)"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func close() async {
        await traffic.stopAll()
        await stack.stop()
    }

    /// Runs a stack call, turning the backend's errors into messages that say what was being done.
    private func backendCall<T: Sendable>(_ what: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as LocalBackendError {
            throw ScenarioBackendError("\(what): \(error.message)")
        }
    }
}
