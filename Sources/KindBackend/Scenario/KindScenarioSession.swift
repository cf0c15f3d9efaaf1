import Foundation
import HarnessServers
import ObjectModel
import Scenarios
import Synchronization
import YAML

/// One scenario on the Kind cluster (or the `--kubeconfig` cluster): every ``ScenarioSession`` call mapped onto the
/// real stack (DESIGN.md §8, kind-stack.md §4–§5).
///
/// - Git: the session's own work tree `<work>/kind/sessions/<scenario>/gitops`, one branch per scenario branch; each
///   push is the Flux OCI artifact `rollout-e2e/<scenario>:<tag>` in the in-cluster registry (the branch name as an
///   OCI tag, ``GitOpsSource/artifactTag(branch:)``), followed by reconcile requests to the OCIRepositories that
///   follow that branch and the Kustomizations that read them.
/// - Manifests: the scenario's `GitRepository` objects become `OCIRepository`s of the session's artifact
///   (``FluxSourceRewriter``; one that follows anything but a branch is refused); every object is labelled
///   `rollout-e2e/session=<scenario>` so that the session's close — or the next run, after a killed one — removes
///   it.
/// - Gates go to the real flagger-loadtester; traffic goes through the ingress on the host; faults use kubectl;
///   the Canary's status and events are polled into the timeline.
/// - Alerts: AlertProviders that name an address outside the cluster post to an alert receiver the harness runs on
///   the Kind network's gateway address (``ScenarioArtifact``).
/// - Webhooks: when the scenario asserts on webhook calls, its Canaries' loadtester webhooks go through a
///   ``WebhookRecorder`` at the same address, which forwards them to the loadtester and keeps each call.
final class KindScenarioSession: ScenarioSession {
    /// The label every object a session applies carries.
    static let sessionLabel = "rollout-e2e/session"
    /// The kinds a session may have applied, for removing them by label.
    static let labelledKinds = [
        "kustomizations.kustomize.toolkit.fluxcd.io", "ocirepositories.source.toolkit.fluxcd.io",
        "canaries.flagger.app", "metrictemplates.flagger.app", "alertproviders.flagger.app", "deployments",
        "horizontalpodautoscalers", "services", "ingresses", "configmaps", "secrets",
    ]

    let backend: KindBackend
    let setup: SessionSetup
    let source: GitOpsSource
    /// The copy of the work tree that is pushed (AlertProviders and recorded webhooks rewritten).
    let artifactDirectory: String
    let artifact: ScenarioArtifact
    let traffic: LoadTrafficDriver
    private let receiver: AlertReceiver?
    private let recorder: WebhookRecorder?
    private let webhooksUnavailableReason: String?
    private let alertsUnavailableReason: String?
    private let forwards: [Task<Void, Never>]
    private let wallStart: Date
    /// Told once the session's close has finished (the backend forgets it then).
    private let onClose: @Sendable (KindScenarioSession) -> Void
    /// The close under way or done: a second close waits for it instead of deleting everything again.
    private let closing = Mutex<Task<Void, Never>?>(nil)

    /// A Flux object the session applied: sources are reconciled after a push to their branch, then the
    /// Kustomizations that read them.
    struct FluxObject: Hashable {
        var kind: String
        var name: String
        var namespace: String
        /// The branch an OCIRepository follows: the real branch name (its `spec.ref.tag` is the branch's
        /// ``GitOpsSource/artifactTag(branch:)``), so that a push to the branch finds it.
        var branch: String?
        /// The OCIRepository a Kustomization reads.
        var sourceName: String?

        var resource: String { "\(kind.lowercased())/\(name)" }
    }

    private struct CanaryWatch {
        var poller: CanaryPoller
        var observations: [CanaryObservation] = []
        var lastPoll: ContinuousClock.Instant?
    }

    private struct State {
        var flux: [FluxObject] = []
        var applied: [ObjectReference] = []
        var canaries: [String: CanaryWatch] = [:]
        var reconciles = 0
    }
    private let state = Mutex(State())

    /// The namespaces `up` creates or installs into.
    static let stackNamespaces = [
        "flux-system", "ingress-nginx", "gitops", StackPlanner.loadtesterNamespace, StackPlanner.appsNamespace,
    ]

    /// How often the Canary is read at most (three kubectl calls each time).
    static let pollInterval: Duration = .seconds(1)

    /// What a session runs on the host for the cluster: the alert receiver and webhook recorder (with the
    /// reasons when there are none) and its port-forwards.
    struct Plumbing {
        var receiver: AlertReceiver?
        /// Where the cluster posts alerts (the receiver's address as pods reach it).
        var receiverURL: String?
        var alertsUnavailable: String?
        var recorder: WebhookRecorder?
        /// Where the cluster calls recorded webhooks.
        var recorderURL: String?
        var webhooksUnavailable: String?
        var forwards: [Task<Void, Never>] = []
    }

    private init(
        backend: KindBackend,
        setup: SessionSetup,
        source: GitOpsSource,
        artifactDirectory: String,
        plumbing: Plumbing,
        onClose: @escaping @Sendable (KindScenarioSession) -> Void
    ) {
        self.onClose = onClose
        self.backend = backend
        self.setup = setup
        self.source = source
        self.artifactDirectory = artifactDirectory
        receiver = plumbing.receiver
        recorder = plumbing.recorder
        alertsUnavailableReason = plumbing.alertsUnavailable
        webhooksUnavailableReason = plumbing.webhooksUnavailable
        artifact = ScenarioArtifact(
            alertReceiver: plumbing.receiverURL,
            namespaces: Set(setup.namespaces + Self.stackNamespaces),
            webhookRecorder: plumbing.recorderURL
        )
        traffic = LoadTrafficDriver(baseURL: backend.ingressBaseURL, clock: setup.clock)
        forwards = plumbing.forwards
        wallStart = Date(timeIntervalSinceNow: -setup.clock.realSeconds)
    }

    /// Clears what earlier sessions left; starts the alert receiver (on `alertHost`, the address pods reach the
    /// host at), the webhook recorder when the scenario asserts on webhook calls, and with `--kubeconfig` the
    /// ingress port-forward; seeds the work tree and pushes every branch. `onClose` is told when the session's
    /// ``close()`` has finished. `plumbing`, when given, replaces starting the receiver, recorder and port-forwards
    /// (a `--dry-run` plan names them instead).
    static func open(
        _ setup: SessionSetup,
        backend: KindBackend,
        workDirectory: String,
        alertHost: HostAddress?,
        plumbing planned: (() async throws -> Plumbing)? = nil,
        onClose: @escaping @Sendable (KindScenarioSession) -> Void = { _ in }
    ) async throws -> KindScenarioSession {
        try await call("clear the cluster for \(setup.scenario)") {
            _ = try await backend.execute(resetSteps(backend: backend, namespaces: setup.namespaces))
        }
        let source = backend.planner.source(
            workTree: workDirectory + "/gitops",
            repository: "rollout-e2e/" + repositoryName(setup.scenario)
        )
        let plumbing: Plumbing
        if let planned {
            plumbing = try await planned()
        } else {
            plumbing = await start(setup, backend: backend, alertHost: alertHost)
        }
        let session = KindScenarioSession(
            backend: backend,
            setup: setup,
            source: source,
            artifactDirectory: workDirectory + "/artifact",
            plumbing: plumbing,
            onClose: onClose
        )
        do {
            if let content = setup.gitContent {
                try await session.seed(content, branches: setup.branches.isEmpty ? ["main"] : setup.branches)
            }
        } catch {
            await session.close()
            throw error
        }
        return session
    }

    /// Starts what the session runs on the host: the alert receiver, and the webhook recorder with its
    /// port-forward when the scenario asserts on webhook calls. What cannot start is a reason, not an error: only
    /// the assertions that need it fail, and say why.
    private static func start(_ setup: SessionSetup, backend: KindBackend, alertHost: HostAddress?) async -> Plumbing {
        var plumbing = Plumbing()
        if let command = backend.ingressPortForward { plumbing.forwards.append(background(command, backend)) }
        if let alertHost {
            let alerts = AlertReceiver()
            do {
                let port = try PortAllocator().next()
                try await alerts.start(port: port, host: alertHost.listen)
                plumbing.receiver = alerts
                plumbing.receiverURL = "http://\(alertHost.advertised):\(port)"
            } catch {
                plumbing.alertsUnavailable = "the alert receiver could not listen on \(alertHost): \(error)"
            }
        } else {
            plumbing.alertsUnavailable =
                "the kind backend receives alerts only on a Kind cluster it can reach from the host "
                + "(the Kind network's gateway); with --kubeconfig AlertProviders keep their addresses"
        }
        if setup.observesWebhooks, let alertHost {
            do {
                let local = try PortAllocator().next()
                plumbing.forwards.append(background(loadtesterForward(backend, port: "\(local)"), backend))
                try await KindBackend.waitUntilAnswering("http://127.0.0.1:\(local)/healthz", timeout: .seconds(30))
                let port = try PortAllocator().next()
                let recorder = try await WebhookRecorder.start(
                    host: alertHost.listen,
                    port: port,
                    loadtester: "http://127.0.0.1:\(local)",
                    clock: setup.clock
                )
                plumbing.recorder = recorder
                plumbing.recorderURL = "http://\(alertHost.advertised):\(port)"
            } catch {
                plumbing.webhooksUnavailable = "the webhook recorder could not start: \(error)"
            }
        } else {
            plumbing.webhooksUnavailable =
                setup.observesWebhooks
                ? "the kind backend records webhook calls only on a Kind cluster it can reach from the host "
                    + "(the Kind network's gateway); with --kubeconfig the Canaries call the loadtester directly"
                : "this scenario's session did not record webhook calls (it has no webhooks assertion)"
        }
        return plumbing
    }

    /// `kubectl port-forward` to the loadtester's Service, for the webhook recorder.
    static func loadtesterForward(_ backend: KindBackend, port: String) -> Command {
        backend.planner.kubectl([
            "--namespace", StackPlanner.loadtesterNamespace, "port-forward", "service/flagger-loadtester", "\(port):80",
        ])
    }

    /// Runs `command` (a port-forward) until the returned task is cancelled.
    private static func background(_ command: Command, _ backend: KindBackend) -> Task<Void, Never> {
        Task {
            _ = try? await backend.runner.withBackground(command) {
                try await Task.sleep(for: .seconds(86_400 * 7))
            }
        }
    }

    /// The session's registry repository name: the scenario's name in the characters OCI allows.
    static func repositoryName(_ scenario: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
        let name = String(scenario.lowercased().map { allowed.contains($0) ? $0 : "-" })
        return name.isEmpty ? "scenario" : name
    }

    /// Removes `up`'s podinfo source (a session owns the namespaces while it runs) and whatever an earlier,
    /// killed session left: its Flux objects first, so Flux prunes what they deployed, then anything labelled.
    static func resetSteps(backend: KindBackend, namespaces: [String]) -> [PlanStep] {
        var steps = backend.planner.downPlan(keep: true)
        let label = "--selector=\(sessionLabel)"
        steps.append(
            PlanStep(
                id: "reset-flux",
                phase: .teardown,
                title: "Delete the Flux objects of earlier sessions (Flux prunes what they deployed)",
                action: .run(
                    backend.planner.kubectl([
                        "delete", Array(labelledKinds.prefix(2)).joined(separator: ","), "--all-namespaces", label,
                        "--ignore-not-found", "--wait=true", "--timeout=180s",
                    ])
                ),
                timeout: .seconds(210)
            )
        )
        steps.append(
            PlanStep(
                id: "reset-objects",
                phase: .teardown,
                title: "Delete what earlier sessions applied directly",
                action: .run(
                    backend.planner.kubectl([
                        "delete", labelledKinds.dropFirst(2).joined(separator: ","), "--all-namespaces", label,
                        "--ignore-not-found", "--wait=true", "--timeout=120s",
                    ])
                ),
                timeout: .seconds(150)
            )
        )
        for namespace in namespaces {
            // Flagger's own objects (podinfo-primary, the canary Ingress) go with their Canary by owner reference.
            steps.append(
                PlanStep(
                    id: "reset-canaries-\(namespace)",
                    phase: .wait,
                    title: "Wait until no Canary is left in \(namespace)",
                    action: .run(
                        backend.planner.kubectl([
                            "--namespace", namespace, "delete", "canaries.flagger.app", "--all", "--ignore-not-found",
                            "--wait=true", "--timeout=120s",
                        ])
                    ),
                    timeout: .seconds(150)
                )
            )
        }
        return steps
    }

    // MARK: Git

    private func seed(_ content: String, branches: [String]) async throws {
        let tree = source.workTree
        try? FileManager.default.removeItem(atPath: tree)
        try Self.call("seed the GitOps work tree") {
            try FileManager.default.createDirectory(atPath: tree, withIntermediateDirectories: true)
            for name in try FileManager.default.contentsOfDirectory(atPath: content) where name != ".git" {
                try FileManager.default.copyItem(atPath: content + "/" + name, toPath: tree + "/" + name)
            }
        }
        let first = branches[0]
        try await execute([
            gitStep("git-init", "Create the session's work tree", ["init", "--quiet", "--initial-branch=\(first)"])
        ])
        try await push(branch: first, message: "seed from \(content)")
        for branch in branches.dropFirst() {
            try await execute([gitStep("git-branch", "Create branch \(branch)", ["branch", branch, first])])
            try await push(branch: branch, message: nil)
        }
    }

    /// Commits the work tree (when `message` is given), then pushes the branch's artifact.
    private func push(branch: String, message: String?) async throws {
        try Self.call("prepare the artifact of \(branch)") {
            try artifact.stage(workTree: source.workTree, into: artifactDirectory)
        }
        var steps = backend.commitSteps(
            message: message ?? "",
            branch: branch,
            source: source,
            artifact: artifactDirectory
        )
        if message == nil { steps.removeAll { ["gitops-add", "gitops-commit"].contains($0.id) } }
        try await execute(steps)
    }

    func commit(branch: String, message: String, changes: [FileChange]) async throws {
        try await commit(branch: branch, message: message, changes: changes, waitForFlux: true)
    }

    func commit(branch: String, message: String, changes: [FileChange], waitForFlux: Bool) async throws {
        guard setup.gitContent != nil else {
            throw ScenarioBackendError("commit: the scenario has no Git content (spec.git), so there is no repository")
        }
        try await checkout(branch)
        let tree = source.workTree
        try Self.call("edit the work tree on \(branch)") {
            for change in changes {
                let path = tree + "/" + change.file
                let current = try? String(contentsOfFile: path, encoding: .utf8)
                if let text = try FileEditor.apply(change, to: current) {
                    let url = URL(fileURLWithPath: path)
                    try FileManager.default.createDirectory(
                        at: url.deletingLastPathComponent(),
                        withIntermediateDirectories: true
                    )
                    try Data(text.utf8).write(to: url)
                } else {
                    try? FileManager.default.removeItem(atPath: path)
                }
            }
        }
        try await push(branch: branch, message: message)
        try await reconcile(branch: branch, requireReady: waitForFlux)
    }

    func merge(from: String, into: String, message: String) async throws {
        try await checkout(into)
        try await execute([
            gitStep(
                "git-merge",
                "Merge \(from) into \(into)",
                ["merge", "--quiet", "--no-ff", "--no-edit", "--message", message, from]
            )
        ])
        try await push(branch: into, message: nil)
        try await reconcile(branch: into)
    }

    private func checkout(_ branch: String) async throws {
        // Every commit commits the whole tree, so anything uncommitted is a leftover of a commit that failed.
        try await execute([
            gitStep("git-checkout", "Check out \(branch)", ["checkout", "--quiet", "--force", branch]),
            gitStep("git-clean", "Drop files a failed commit left", ["clean", "--quiet", "--force", "-d"]),
        ])
    }

    private func gitStep(_ id: String, _ title: String, _ arguments: [String]) -> PlanStep {
        PlanStep(
            id: id,
            phase: .gitops,
            title: title,
            action: .run(
                Command(
                    "git",
                    ["-C", source.workTree, "-c", "user.name=rollout-e2e", "-c", "user.email=rollout-e2e@localhost"]
                        + arguments
                )
            ),
            timeout: .seconds(30)
        )
    }

    /// Asks Flux to fetch `branch` now (its OCIRepositories, then their Kustomizations) and waits until applied.
    /// Requests a reconcile of the branch's sources and their Kustomizations and waits until Flux handled it; with
    /// `requireReady`, also until each is Ready (Flux records the handled request whether or not it could apply).
    private func reconcile(branch: String, requireReady: Bool = true) async throws {
        let (resources, token) = state.withLock { state -> ([(String, String)], String) in
            let sources = state.flux.filter { $0.kind == "OCIRepository" && $0.branch == branch }
            let readers = state.flux.filter { object in
                object.kind == "Kustomization"
                    && sources.contains { $0.name == object.sourceName && $0.namespace == object.namespace }
            }
            state.reconciles += 1
            return ((sources + readers).map { ($0.resource, $0.namespace) }, "\(setup.scenario)-\(state.reconciles)")
        }
        guard !resources.isEmpty else { return }
        try await execute(
            backend.reconcileSteps(
                resources.map { (resource: $0.0, namespace: $0.1) },
                token: token,
                requireReady: requireReady
            )
        )
    }

    // MARK: Cluster

    func apply(_ manifests: [Node], namespace: String) async throws {
        let rewriter = FluxSourceRewriter(source: source)
        let branches = rewriter.branches(in: manifests)
        // A GitRepository pinned to a tag, semver range or commit has no artifact here: refuse it up front.
        let rewritten = try Self.call("apply") { try rewriter.rewrite(manifests) }
        let documents = (artifact.rewrite(rewritten) ?? rewritten).map { Self.labelled($0, scenario: setup.scenario) }
        var flux: [FluxObject] = []
        var applied: [ObjectReference] = []
        for document in documents {
            guard let kind = document["kind"]?.scalarValue, let name = document.find(["metadata", "name"])?.scalarValue
            else { continue }
            let objectNamespace = document.find(["metadata", "namespace"])?.scalarValue ?? namespace
            applied.append(ObjectReference(kind: kind, name: name, namespace: objectNamespace))
            switch kind {
            case "OCIRepository":
                flux.append(
                    FluxObject(
                        kind: kind,
                        name: name,
                        namespace: objectNamespace,
                        branch: branches[name] ?? document.find(["spec", "ref", "tag"])?.scalarValue
                    )
                )
            case "Kustomization" where document["apiVersion"]?.scalarValue?.hasPrefix("kustomize.toolkit") == true:
                flux.append(
                    FluxObject(
                        kind: kind,
                        name: name,
                        namespace: objectNamespace,
                        sourceName: document.find(["spec", "sourceRef", "name"])?.scalarValue
                    )
                )
            default: break
            }
        }
        try await Self.call("apply") {
            try await backend.apply(documents: documents, namespace: namespace)
        }
        let token = state.withLock { state -> String in
            for object in flux {
                // Re-applied (perhaps following another branch now): the new definition replaces the old.
                state.flux.removeAll {
                    $0.kind == object.kind && $0.name == object.name && $0.namespace == object.namespace
                }
                state.flux.append(object)
            }
            state.applied += applied
            state.reconciles += 1
            return "\(setup.scenario)-\(state.reconciles)"
        }
        // Flux fetches a new source and applies a new Kustomization at once; the harness waits until it has.
        let ordered = flux.filter { $0.kind == "OCIRepository" } + flux.filter { $0.kind == "Kustomization" }
        if !ordered.isEmpty {
            try await execute(
                backend.reconcileSteps(ordered.map { (resource: $0.resource, namespace: $0.namespace) }, token: token)
            )
        }
    }

    /// `document` with the session label added to `metadata.labels`.
    static func labelled(_ document: Node, scenario: String) -> Node {
        guard document["metadata"]?.pairs != nil else { return document }
        // `labels:` with every label commented out is null; it becomes a mapping (a second `labels` key would make
        // kubectl refuse the object).
        return document.setting(["metadata", "labels", sessionLabel], to: .scalar(Scalar(value: scenario)))
    }

    func delete(_ objects: [ObjectReference]) async throws {
        let objects = objects.map(Self.onCluster)
        for object in objects {
            try await Self.call("delete \(object)") {
                try await backend.delete(kind: object.kind, name: object.name, namespace: namespace(of: object))
            }
        }
        state.withLock { state in
            state.flux.removeAll { object in
                objects.contains {
                    $0.kind == object.kind && $0.name == object.name && namespace(of: $0) == object.namespace
                }
            }
        }
    }

    /// The object as the session put it on the cluster: a GitRepository is there as the OCIRepository of the
    /// same name (``FluxSourceRewriter``).
    static func onCluster(_ reference: ObjectReference) -> ObjectReference {
        var reference = reference
        if reference.kind == "GitRepository" { reference.kind = "OCIRepository" }
        return reference
    }

    func object(_ reference: ObjectReference) async throws -> Node? {
        let reference = Self.onCluster(reference)
        guard
            let json = try await Self.call(
                "read \(reference)",
                {
                    try await backend.object(
                        kind: reference.kind,
                        name: reference.name,
                        namespace: namespace(of: reference)
                    )
                }
            )
        else { return nil }
        do {
            return try YAMLParser.parse(json, file: "kubectl get \(reference)").first?.node
        } catch {
            throw ScenarioBackendError("read \(reference): kubectl printed something that is not JSON: \(error)")
        }
    }

    private func namespace(of reference: ObjectReference) -> String {
        reference.namespace ?? setup.namespaces.first ?? "default"
    }

    // MARK: Traffic

    func startTraffic(_ load: TrafficLoad) async throws { try traffic.start(load) }

    func stopTraffic(_ name: String) async throws { await traffic.stop(name) }

    func trafficSamples() async -> [NamedTrafficSample] { traffic.samples() }

    // MARK: Flagger

    func setGate(canary: String, namespace: String, type: GateAction.GateType, open: Bool) async throws {
        let gate: LoadtesterGate = type == .rollback ? .rollback : .confirm
        try await Self.call("\(open ? "open" : "close") the \(type.rawValue) gate") {
            try await backend.setGate(gate, open: open, canary: canary, namespace: namespace)
        }
    }

    /// The observations so far, after reading the Canary when the last read is older than ``pollInterval`` (the
    /// runner asks often; a Canary that does not exist yet has no observations).
    func canaryTimeline(canary: String, namespace: String) async throws -> [CanaryObservation] {
        let key = "\(canary).\(namespace)"
        let due = state.withLock { state -> CanaryPoller? in
            var watch =
                state.canaries[key] ?? CanaryWatch(poller: backend.canaryPoller(name: canary, namespace: namespace))
            defer { state.canaries[key] = watch }
            if let last = watch.lastPoll, last.duration(to: .now) < Self.pollInterval { return nil }
            watch.lastPoll = .now
            return watch.poller
        }
        // One read tells whether the Canary exists yet and, when it does, what its status is.
        if let poller = due,
            let canaryJSON = try await Self.call(
                "read canary \(key)",
                {
                    try await backend.object(kind: "canary", name: canary, namespace: namespace)
                }
            )
        {
            let records = try await Self.call("read canary \(key)") {
                try await poller.poll(t: setup.clock.now, canaryJSON: canaryJSON)
            }
            state.withLock { state in
                for record in records {
                    if case .canary(let observation) = record { state.canaries[key]?.observations.append(observation) }
                }
            }
        }
        return state.withLock { $0.canaries[key]?.observations ?? [] }
    }

    func alerts() async -> [ObservedAlert] {
        guard let receiver else { return [] }
        return await receiver.alerts.map { ObservedAlert(received: $0, wallStart: wallStart, clock: setup.clock) }
    }

    var alertsUnavailable: String? { alertsUnavailableReason }

    func webhookCalls() async -> [WebhookCall] { recorder?.recorded ?? [] }

    var webhookCallsUnavailable: String? { recorder == nil ? webhooksUnavailableReason : nil }

    // MARK: Faults

    /// The Deployment (and namespace) behind each component a fault may name on the cluster.
    static let components: [String: (deployment: String, namespace: String)] = [
        "nginx": ("ingress-nginx-controller", "ingress-nginx"),
        "prometheus": ("flagger-prometheus", StackPlanner.flaggerNamespace),
        "flagger": ("flagger", StackPlanner.flaggerNamespace),
        "loadtester": ("flagger-loadtester", StackPlanner.loadtesterNamespace),
        "redis": ("cache", StackPlanner.appsNamespace),
        "flux": ("kustomize-controller", "flux-system"),
    ]

    /// The Deployment (name, namespace) a scenario's `fault` step hits on the cluster.
    static func faultTarget(_ fault: FaultAction, namespace: String) throws -> (deployment: String, namespace: String) {
        switch fault.target {
        case .component(let name):
            guard let component = components[name] else {
                let known = components.keys.sorted().joined(separator: ", ")
                throw ScenarioBackendError("fault: the kind backend has no component '\(name)' (it has \(known))")
            }
            return component
        case .replica(let deployment, let namespaceOverride, _):
            return (deployment, namespaceOverride ?? namespace)
        }
    }

    /// A crash deletes the Deployment's pods (found by its own selector; the ReplicaSet recreates them), stop
    /// scales to zero, start scales back to one, restart is a rollout restart. On one replica (`replica: N`) kill,
    /// stop and restart delete the N-th of its pods by name (pods have no stable index; the ReplicaSet replaces
    /// it, as the local backend's supervisor restarts a replica), and start does nothing.
    func fault(_ fault: FaultAction, namespace: String) async throws {
        let (deployment, target) = try Self.faultTarget(fault, namespace: namespace)
        let injected: Fault
        if case .replica(_, _, let index?) = fault.target {
            guard fault.action != .start else { return }
            let selector = try await selector(of: deployment, namespace: target)
            let query = backend.planner.kubectl([
                "--namespace", target, "get", "pods", "--selector=\(selector)", "--sort-by=.metadata.name",
                "--output=jsonpath={.items[*].metadata.name}",
            ])
            let result = try await Self.call("list the pods of \(deployment)") {
                try await backend.runner.run(query, timeout: .seconds(30), streaming: false)
            }
            let pods = result.output.split(whereSeparator: \.isWhitespace).map(String.init)
            guard result.succeeded, pods.indices.contains(index) else {
                throw ScenarioBackendError(
                    "fault: Deployment \(deployment) in \(target) has \(pods.count) pod(s); replica \(index) does not exist"
                )
            }
            injected = .deletePod(namespace: target, name: pods[index])
            try await Self.call("\(fault.action.rawValue) \(fault.target)") { try await backend.inject(injected) }
            return
        }
        switch fault.action {
        case .kill:
            injected = .deletePods(namespace: target, selector: try await selector(of: deployment, namespace: target))
        case .restart: injected = .restart(deployment: deployment, namespace: target)
        case .stop: injected = .scale(deployment: deployment, namespace: target, replicas: 0)
        case .start: injected = .scale(deployment: deployment, namespace: target, replicas: 1)
        }
        try await Self.call("\(fault.action.rawValue) \(fault.target)") { try await backend.inject(injected) }
    }

    /// A Deployment's own pod selector, `key=value,…`.
    private func selector(of deployment: String, namespace target: String) async throws -> String {
        let query = backend.planner.kubectl([
            "--namespace", target, "get", "deployment/\(deployment)",
            "--output=go-template=" + "{{range $key, $value := .spec.selector.matchLabels}}{{$key}}={{$value}},{{end}}",
        ])
        let result = try await Self.call("read the selector of \(deployment)") {
            try await backend.runner.run(query, timeout: .seconds(30), streaming: false)
        }
        let selector = result.output.trimmingCharacters(in: CharacterSet(charactersIn: ", \n"))
        guard result.succeeded, !selector.isEmpty else {
            throw ScenarioBackendError("fault: no Deployment \(deployment) in \(target): \(result.tail(lines: 3))")
        }
        return selector
    }

    // MARK: Lifecycle

    func collectDiagnostics(into directory: String) async -> [String] {
        let canaries = state.withLock { state in
            state.canaries.values.map { (name: $0.poller.name, namespace: $0.poller.namespace) }
        }
        return await backend.collectFailureLogs(into: directory, canaries: canaries)
    }

    /// Stops the loads, deletes what the session applied (its Flux Kustomizations first, so Flux prunes what they
    /// deployed) and stops the receiver and port-forward. Best effort: the next session clears leftovers.
    ///
    /// Idempotent: the runner closes a session when its scenario ends and a signal closes whatever is still open,
    /// so a second close runs nothing and only waits until the first has finished.
    func close() async {
        let task = closing.withLock { closing in
            if let closing { return closing }
            let task = Task { [self] in
                await tearDown()
                onClose(self)
            }
            closing = task
            return task
        }
        await task.value
    }

    private func tearDown() async {
        await traffic.stopAll()
        let label = "--selector=\(Self.sessionLabel)=\(setup.scenario)"
        for kinds in [Array(Self.labelledKinds.prefix(2)), Array(Self.labelledKinds.dropFirst(2))] {
            let command = backend.planner.kubectl([
                "delete", kinds.joined(separator: ","), "--all-namespaces", label, "--ignore-not-found",
                "--wait=true", "--timeout=180s",
            ])
            _ = try? await backend.runner.run(command, timeout: .seconds(210), streaming: false)
        }
        await receiver?.stop()
        await recorder?.stop()
        for forward in forwards {
            forward.cancel()
            _ = await forward.value
        }
    }

    private func execute(_ steps: [PlanStep]) async throws {
        try await Self.call(steps.first?.title ?? "kubectl") { _ = try await backend.execute(steps) }
    }

    /// Runs a backend call, turning its errors into messages that say what was being done.
    @discardableResult
    private static func call<T>(_ what: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as KindBackendError {
            throw ScenarioBackendError("\(what): \(error.message)")
        }
    }

    private static func call<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ScenarioBackendError {
            throw error
        } catch {
            throw ScenarioBackendError("\(what): \(error)")
        }
    }
}
