import CurlHTTP
import Foundation
import ObjectModel
import YAML

/// The real stack on a Kind cluster (DESIGN.md §1, §8): brings it up from `kind-config/`, tears it down, and
/// gives the scenario runner its steps on the cluster — apply, commit and reconcile, gates, traffic through the
/// ingress, faults, canary observation and failure diagnostics.
///
/// Every command goes through a ``CommandRunner``, so each step's exact commands are checked without a cluster.
public final class KindBackend: Sendable {
    public let planner: StackPlanner
    public let runner: any CommandRunner
    /// The clock for reconcile tokens and report names.
    public let now: @Sendable () -> Date
    /// Receives one line per step as it starts (and retries).
    public let progress: @Sendable (String) -> Void

    public init(
        config: KindConfig,
        target: ClusterTarget,
        workDirectory: String,
        docker: DockerHost = .local,
        runner: any CommandRunner,
        now: @escaping @Sendable () -> Date = { Date() },
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        planner = StackPlanner(config: config, target: target, workDirectory: workDirectory, docker: docker)
        self.runner = runner
        self.now = now
        self.progress = progress
    }

    public var target: ClusterTarget { planner.target }
    public var source: GitOpsSource { planner.source }

    /// A new report directory under the work directory, named by the time.
    public func newReportDirectory(_ label: String) -> String {
        let stamp = Int(now().timeIntervalSince1970)
        return planner.workDirectory + "/reports/\(label)-\(stamp)"
    }

    // MARK: - up / down

    /// Executes the up plan. On failure the diagnostics go to `reportDirectory` and the error names it.
    public func up(reportDirectory: String) async throws {
        do {
            _ = try await execute(planner.upPlan())
        } catch let error as KindBackendError where !error.isEnvironment {
            let files = await FailureCollector(target: target).collect(
                into: reportDirectory,
                canaries: [("podinfo", StackPlanner.appsNamespace)],
                runner: runner
            )
            var notes = files.isEmpty ? "" : "\ndiagnostics (\(files.count) files): \(reportDirectory)"
            if case .kind(let name) = target {
                // kind create runs with --retain, so a half-made cluster stays for debugging and would be reused.
                notes += "\nthe cluster '\(name)' is kept for debugging; `rollout-e2e down --backend kind` deletes it"
            }
            throw KindBackendError(error.code, error.message + notes)
        }
    }

    /// Executes the down plan.
    public func down(keep: Bool) async throws {
        _ = try await execute(planner.downPlan(keep: keep))
    }

    /// Runs `steps` in order: skips, `{{…}}` substitution, per-attempt timeouts and retries.
    /// Returns each step's standard output by step id.
    public func execute(_ steps: [PlanStep]) async throws -> [String: String] {
        var outputs: [String: String] = [:]
        var captures: [String: String] = [:]
        for (index, step) in steps.enumerated() {
            let number = "[\(index + 1)/\(steps.count)]"
            if let skip = step.skip,
                let output = outputs[skip.stepID],
                output.split(separator: "\n").contains(where: { $0.trimmingCharacters(in: .whitespaces) == skip.line })
            {
                progress("\(number) \(step.title): skipped, \(skip.reason)")
                continue
            }
            progress("\(number) \(step.title)")
            switch step.action {
            case .seed(let from, let to):
                try Self.seed(from: from, to: to)
            case .run(let command):
                let result = try await attempt(step, substitute(command, captures))
                outputs[step.id] = result.output
                if let name = step.capture {
                    captures[name] = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
                }
            case .runDuring(let command, let background):
                let resolved = substitute(command, captures)
                let result = try await runner.withBackground(background) { [self] in
                    try await attempt(step, resolved)
                }
                outputs[step.id] = result.output
            }
        }
        return outputs
    }

    private func attempt(_ step: PlanStep, _ command: Command) async throws -> CommandResult {
        let attempts = max(1, step.retry?.attempts ?? 1)
        var lastProblem = ""
        for attempt in 1...attempts {
            if attempt > 1, let retry = step.retry {
                progress("  retry \(attempt)/\(attempts) in \(retry.delay.formattedSeconds): \(retry.reason)")
                try await Task.sleep(for: retry.delay)
            }
            do {
                let result = try await runner.run(command, timeout: step.timeout, streaming: step.streaming)
                if result.succeeded { return result }
                lastProblem = "exited \(result.status):\n\(result.tail())"
            } catch let error as KindBackendError where error.code == .timedOut {
                lastProblem = "did not finish within \(step.timeout.formattedSeconds)"
            }
        }
        let tries = attempts > 1 ? " after \(attempts) attempts (\(step.retry?.reason ?? ""))" : ""
        throw KindBackendError(
            .commandFailed,
            "step '\(step.id)' (\(step.title)) failed\(tries): `\(command)` \(lastProblem)"
        )
    }

    private func substitute(_ command: Command, _ captures: [String: String]) -> Command {
        var values = captures
        values["now"] = String(Int(now().timeIntervalSince1970))
        var resolved = command
        resolved.arguments = command.arguments.map { argument in
            var text = argument
            for (name, value) in values { text = text.replacingOccurrences(of: "{{\(name)}}", with: value) }
            return text
        }
        return resolved
    }

    /// Replaces everything but `.git` in `to` with the files of `from`.
    static func seed(from: String, to: String) throws {
        let files = FileManager.default
        do {
            try files.createDirectory(atPath: to, withIntermediateDirectories: true)
            for name in try files.contentsOfDirectory(atPath: to) where name != ".git" {
                try files.removeItem(atPath: to + "/" + name)
            }
            for name in try files.contentsOfDirectory(atPath: from) {
                try files.copyItem(atPath: from + "/" + name, toPath: to + "/" + name)
            }
        } catch {
            throw KindBackendError(.commandFailed, "cannot copy \(from) into the GitOps work tree \(to): \(error)")
        }
    }

    // MARK: - scenario steps (the API the scenario runner calls)

    /// Applies a kustomize directory. Retried, because the ingress-nginx admission webhook can refuse an
    /// Ingress for a while after install (kind-stack.md §2.2, §9.1).
    public func apply(kustomizeDirectory: String) async throws {
        try await run(
            id: "apply",
            "Apply \(kustomizeDirectory)",
            planner.kubectl(["apply", "--kustomize", kustomizeDirectory]),
            retry: Self.webhookRetry
        )
    }

    /// Applies `documents` (`kubectl apply --filename=-`), with the same retries. Namespaced objects without a
    /// namespace are put in `namespace` in the manifest itself; the command never carries `--namespace`, because
    /// with it kubectl refuses every object whose own namespace differs (``KubectlNamespaceRule``: the scenario's
    /// Flux objects live in flux-system while its namespace is test).
    public func apply(documents: [Node], namespace: String? = nil) async throws {
        let placed = namespace.map { namespace in documents.map { ClusterScope.placing($0, in: namespace) } }
        try await run(
            id: "apply",
            "Apply manifests",
            applyCommand(placed ?? documents),
            retry: Self.webhookRetry
        )
    }

    /// `kubectl apply --filename=-` of `documents` as they are.
    public func applyCommand(_ documents: [Node]) -> Command {
        planner.kubectl(["apply", "--filename=-"], input: Node.yamlStream(documents))
    }

    /// Deletes an object; one that does not exist is not an error.
    public func delete(kind: String, name: String, namespace: String?) async throws {
        let scope = namespace.map { ["--namespace", $0] } ?? []
        try await run(
            id: "delete",
            "Delete \(kind)/\(name)",
            planner.kubectl(scope + ["delete", kind, name, "--ignore-not-found", "--wait=false"])
        )
    }

    /// The object as the cluster has it now (`kubectl get -o json`, status included), or nil when it does not
    /// exist. JSON is YAML, so the YAML module reads it.
    public func object(kind: String, name: String, namespace: String?) async throws -> String? {
        let scope = namespace.map { ["--namespace", $0] } ?? []
        let command = planner.kubectl(scope + ["get", kind, name, "--ignore-not-found", "--output=json"])
        let result = try await runner.run(command, timeout: .seconds(30), streaming: false)
        guard result.succeeded else {
            throw KindBackendError(.commandFailed, "`\(command)` exited \(result.status): \(result.tail(lines: 3))")
        }
        let text = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// Writes `files` (paths relative to the GitOps work tree) and removes `removing` on `branch`, commits,
    /// pushes the branch's artifact (tagged ``GitOpsSource/artifactTag(branch:)``) and waits until Flux has
    /// applied it. Returns the revision.
    @discardableResult
    public func commit(
        files: [String: String],
        removing: [String] = [],
        message: String,
        branch: String = GitOpsSource.tag
    ) async throws -> String {
        let tree = source.workTree
        let manager = FileManager.default
        try await switchBranch(branch)
        do {
            for (path, text) in files.sorted(by: { $0.key < $1.key }) {
                let url = URL(fileURLWithPath: tree).appendingPathComponent(path)
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
            for path in removing where manager.fileExists(atPath: tree + "/" + path) {
                try manager.removeItem(atPath: tree + "/" + path)
            }
        } catch {
            throw KindBackendError(.commandFailed, "cannot write the GitOps work tree \(tree): \(error)")
        }
        let outputs = try await execute(commitSteps(message: message, branch: branch))
        let revision = (outputs["gitops-revision"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        try await requestReconcile()
        return revision
    }

    /// Checks out `branch` in the work tree, creating it from the current commit when it does not exist.
    public func switchBranch(_ branch: String) async throws {
        let tree = source.workTree
        let exists = try await runner.run(
            Command("git", ["-C", tree, "rev-parse", "--verify", "--quiet", "refs/heads/\(branch)"]),
            timeout: .seconds(30),
            streaming: false
        )
        let checkout = exists.succeeded ? ["checkout", "--quiet", branch] : ["checkout", "--quiet", "-b", branch]
        try await run(id: "gitops-branch", "Check out \(branch)", Command("git", ["-C", tree] + checkout))
    }

    /// The steps of one commit: stage, commit, read the revision, push (reconcile follows).
    /// `source` defaults to `up`'s; a scenario session passes its own, and the `artifact` directory it prepared
    /// from the work tree for the cluster.
    public func commitSteps(
        message: String,
        branch: String = GitOpsSource.tag,
        source: GitOpsSource? = nil,
        artifact: String? = nil
    ) -> [PlanStep] {
        let source = source ?? self.source
        let push = source.pushCommand(revision: "{{revision}}", branch: branch, path: artifact)
        return [
            PlanStep(
                id: "gitops-add",
                phase: .gitops,
                title: "Stage",
                action: .run(source.addCommand),
                timeout: .seconds(30)
            ),
            PlanStep(
                id: "gitops-commit",
                phase: .gitops,
                title: "Commit: \(message)",
                action: .run(source.commitCommand(message: message)),
                timeout: .seconds(30)
            ),
            PlanStep(
                id: "gitops-revision",
                phase: .gitops,
                title: "Read the revision",
                action: .run(source.revisionCommand),
                timeout: .seconds(30),
                capture: "revision"
            ),
            PlanStep(
                id: "gitops-push",
                phase: .gitops,
                title: "Push \(source.pushURL(tag: GitOpsSource.artifactTag(branch: branch)))",
                action: source.portForward.map { .runDuring(push, background: $0) } ?? .run(push),
                timeout: .seconds(60),
                retry: PlanStep.Retry(attempts: 3, delay: .seconds(3), reason: "the registry may be slow to answer")
            ),
        ]
    }

    /// Asks Flux to fetch the artifact now and waits until it has, then the same for the Kustomization, so
    /// the Kustomization applies the new revision (kind-stack.md §4.3).
    public func requestReconcile() async throws {
        _ = try await execute(reconcileSteps(token: String(Int(now().timeIntervalSince1970))))
    }

    /// The reconcile requests and waits for one `token`.
    public func reconcileSteps(token: String) -> [PlanStep] {
        reconcileSteps(
            [(source.ociRepository, "flux-system"), (source.kustomization, "flux-system")],
            token: token
        )
    }

    /// The reconcile requests and waits of `resources` (`ocirepository/<name>`, `kustomization/<name>`, in the
    /// order given: sources before the Kustomizations that read them) for one `token`.
    /// Without `requireReady` the Ready waits are left out: a commit Flux cannot apply is then not a failed step.
    public func reconcileSteps(
        _ resources: [(resource: String, namespace: String)],
        token: String,
        requireReady: Bool = true
    ) -> [PlanStep] {
        let source = source
        var steps: [PlanStep] = []
        for (resource, namespace) in resources {
            steps += [
                PlanStep(
                    id: "reconcile-\(resource)",
                    phase: .gitops,
                    title: "Request a reconcile of \(resource)",
                    action: .run(source.reconcileRequest(resource, token: token, namespace: namespace)),
                    timeout: .seconds(30)
                ),
                PlanStep(
                    id: "handled-\(resource)",
                    phase: .wait,
                    title: "Wait until Flux handled it",
                    action: .run(
                        source.handledWait(resource, token: token, timeout: .seconds(120), namespace: namespace)
                    ),
                    timeout: .seconds(150)
                ),
            ]
            if requireReady {
                steps.append(
                    PlanStep(
                        id: "ready-\(resource)",
                        phase: .wait,
                        title: "Wait until \(resource) is Ready",
                        action: .run(source.readyWait(resource, timeout: .seconds(180), namespace: namespace)),
                        timeout: .seconds(210)
                    )
                )
            }
        }
        return steps
    }

    /// The command that opens or closes a loadtester gate for a canary, posted from inside the loadtester pod
    /// (its Service is not reachable from the host).
    public func gateCommand(_ gate: LoadtesterGate, open: Bool, canary: String, namespace: String) -> Command {
        let payload = JSONText.object([("name", JSONText.string(canary)), ("namespace", JSONText.string(namespace))])
        let url = "http://flagger-loadtester.\(StackPlanner.loadtesterNamespace)\(gate.path(open: open))"
        return planner.kubectl([
            "--namespace", StackPlanner.loadtesterNamespace, "exec", "deployment/flagger-loadtester", "--",
            "curl", "--silent", "--show-error", "--fail", "--max-time", "10", "--request", "POST",
            "--header", "Content-Type: application/json", "--data", payload, url,
        ])
    }

    /// Opens or closes a loadtester gate (spec/flagger.md §4.2).
    public func setGate(_ gate: LoadtesterGate, open: Bool, canary: String, namespace: String) async throws {
        try await run(
            id: "gate",
            "\(open ? "Open" : "Close") \(gate.rawValue) gate of \(canary).\(namespace)",
            gateCommand(gate, open: open, canary: canary, namespace: namespace),
            retry: PlanStep.Retry(attempts: 3, delay: .seconds(2), reason: "the loadtester may be restarting")
        )
    }

    /// The command of a fault.
    public func faultCommand(_ fault: Fault) -> Command { planner.kubectl(fault.kubectlArguments) }

    /// Injects a fault with kubectl.
    public func inject(_ fault: Fault) async throws {
        try await run(id: "fault", "Inject \(fault)", faultCommand(fault))
    }

    /// The host port the ingress answers on: 80 on Kind (cluster.yaml's mapping), or the local end of a
    /// port-forward with `--kubeconfig`.
    public var ingressPort: Int {
        if case .kind = target { return 80 }
        return 8080
    }

    /// Where the ingress answers from this machine: the Docker host's published address on Kind (127.0.0.1, or
    /// the remote daemon's host), the local end of a port-forward with `--kubeconfig`.
    public var ingressHost: String {
        if case .kind = target { return planner.docker.publishedHost }
        return "127.0.0.1"
    }

    /// `http://<ingressHost>:<ingressPort>`.
    public var ingressBaseURL: String { "http://\(ingressHost):\(ingressPort)" }

    /// The port-forward traffic needs with `--kubeconfig` (none on Kind).
    public var ingressPortForward: Command? {
        guard case .kubeconfig = target else { return nil }
        return planner.kubectl([
            "--namespace", "ingress-nginx", "port-forward", "service/ingress-nginx-controller", "\(ingressPort):80",
        ])
    }

    /// A load through the ingress on the host: `http://127.0.0.1:<port><path>` with `Host: <host>`, bodies
    /// sampled so the timeline records which version answered.
    public func ingressLoad(
        path: String = "/",
        host: String = "app.example.com",
        mode: LoadSpec.Mode,
        limit: LoadSpec.Limit
    ) -> LoadSpec {
        LoadSpec(
            url: ingressBaseURL + path,
            host: host,
            mode: mode,
            limit: limit,
            sampleBody: true
        )
    }

    /// Polls `url` until anything answers over HTTP (a port-forward is up), or throws after `timeout`.
    public static func waitUntilAnswering(_ url: String, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            do {
                _ = try await HTTPClient.shared.get(url, timeout: .seconds(2))
                return
            } catch {
                guard ContinuousClock.now < deadline else {
                    throw KindBackendError(
                        .timedOut,
                        "the port-forward to \(url) did not answer within \(timeout.formattedSeconds)"
                    )
                }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// A poller for one Canary's status and events.
    public func canaryPoller(name: String, namespace: String) -> CanaryPoller {
        CanaryPoller(name: name, namespace: namespace, target: target, runner: runner)
    }

    /// Saves the diagnostics of a failed scenario into `directory`; returns the files written.
    public func collectFailureLogs(into directory: String, canaries: [(name: String, namespace: String)]) async
        -> [String]
    {
        await FailureCollector(target: target).collect(into: directory, canaries: canaries, runner: runner)
    }

    private static let webhookRetry = PlanStep.Retry(
        attempts: 8,
        delay: .seconds(5),
        reason: "the ingress-nginx admission webhook may not answer yet"
    )

    private func run(id: String, _ title: String, _ command: Command, retry: PlanStep.Retry? = nil) async throws {
        let step = PlanStep(
            id: id,
            phase: .manifests,
            title: title,
            action: .run(command),
            timeout: .seconds(60),
            retry: retry
        )
        _ = try await execute([step])
    }
}
