import Foundation
import ObjectModel
import Scenarios
import YAML

/// `rollout-e2e run --backend kind --dry-run`: each scenario's session commands in order, without Docker, kind or
/// a cluster — so a user can read what will happen before pointing the tool at a shared cluster.
///
/// The plan comes from the real session code (``KindScenarioSession``) driven by a ``PlanningCommandRunner``: the
/// same commands a run emits, with `<placeholders>` for what only a run knows. Git runs for real in a scratch copy
/// of the work directory (printed as the real one), so the artifacts the plan pushes hold what a run's would, and
/// ``UpstreamClusterModel`` checks every command against what the pinned kubectl and Flux would refuse, undo or
/// prune.
public struct KindScenarioPlan {
    let config: KindConfig
    let target: ClusterTarget
    /// Where Docker runs (ports published on 127.0.0.1, or on a remote daemon's host).
    var docker: DockerHost = .local
    /// The work directory a run would use (`<work-dir>/kind`), printed in place of the scratch one.
    let workDirectory: String
    /// How the plan names the address pods reach the host at; nil with `--kubeconfig` (no receiver, no recorder).
    let alertHost: HostAddress?

    public init(
        config: KindConfig,
        target: ClusterTarget,
        docker: DockerHost = .local,
        workDirectory: String,
        alertHost: HostAddress?
    ) {
        self.config = config
        self.target = target
        self.docker = docker
        self.workDirectory = workDirectory
        self.alertHost = alertHost
    }

    /// One scenario's plan.
    public struct Rendered: Sendable {
        public var text: String
        public var commands: [Command]
        public var findings: [UpstreamFinding]
    }

    /// The plans of `scenarios`, in order, checked against the upstream rules when `check` (needs `kubectl` for
    /// `kubectl kustomize`). The model carries over from one scenario to the next, as the cluster does.
    public func render(_ scenarios: [LoadedScenario], check: Bool) async throws -> [Rendered] {
        let scratch = NSTemporaryDirectory() + "rollout-e2e-plan-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let model = check ? try UpstreamClusterModel(render: Self.cachedRenderer()) : nil
        if let model {
            // The cluster as `up` leaves it: its plan, executed against the model.
            let runner = PlanningCommandRunner()
            let backend = backend(scratch: scratch, runner: runner)
            _ = try await backend.execute(backend.planner.upPlan())
            for call in runner.recorded where !call.background { try model.run(call.command) }
        }
        var rendered: [Rendered] = []
        for loaded in scenarios {
            rendered.append(try await render(loaded, scratch: scratch, model: model))
        }
        return rendered
    }

    private func render(_ loaded: LoadedScenario, scratch: String, model: UpstreamClusterModel?) async throws
        -> Rendered
    {
        let runner = PlanningCommandRunner()
        let backend = backend(scratch: scratch, runner: runner)
        let setup = loaded.sessionSetup(timeScale: 1, reportDirectory: scratch + "/reports", clock: ScenarioClock())
        var lines = ["== \(loaded.name) (\(loaded.file))"]
        var mark = 0
        var commands: [Command] = []
        func flush(_ heading: String) {
            lines.append("# " + heading)
            for call in runner.recorded[mark...] {
                commands.append(call.command)
                lines += render(call)
            }
            mark = runner.recorded.count
        }

        let session = try await KindScenarioSession.open(
            setup,
            backend: backend,
            workDirectory: scratch + "/kind/sessions/" + KindScenarioSession.repositoryName(loaded.name),
            alertHost: alertHost,
            plumbing: { try await plumbing(setup, backend: backend) }
        )
        flush("open: clear what earlier sessions left, then seed the session's work tree and push every branch")
        let spec = loaded.scenario.spec
        for (list, steps) in [
            ("step", spec.steps), ("catch step", spec.catch ?? []), ("finally step", spec.finally ?? []),
        ] {
            if list == "catch step", !steps.isEmpty { lines.append("# only if a step fails:") }
            for (index, step) in steps.enumerated() {
                let note = try await perform(step, loaded: loaded, session: session, backend: backend)
                flush("\(list) \(index + 1) \"\(step.displayName)\"" + (note.map { ": " + $0 } ?? ""))
            }
        }
        await session.close()
        flush("close: stop the loads, delete what the session applied (Flux prunes what its Kustomizations deployed)")

        var findings: [UpstreamFinding] = []
        if let model {
            for command in commands { findings += try model.run(command) }
            lines.append(
                findings.isEmpty
                    ? "# upstream checks (kubectl namespace enforcement, Flux field ownership and prune): nothing "
                        + "refused, undone or deleted"
                    : "# upstream checks: \(findings.count) problem(s)"
            )
            for finding in findings {
                lines += finding.description.split(separator: "\n").map { "! " + $0 }
            }
        } else {
            lines.append("# upstream checks skipped: kubectl is not on PATH (it renders the kustomize overlays)")
        }
        let text =
            lines.map { $0.replacingOccurrences(of: scratch + "/kind", with: workDirectory) }
            .joined(separator: "\n") + "\n"
        return Rendered(text: text, commands: commands, findings: findings)
    }

    /// A backend whose work directory is the plan's scratch one and whose commands `runner` records.
    private func backend(scratch: String, runner: PlanningCommandRunner) -> KindBackend {
        KindBackend(config: config, target: target, workDirectory: scratch + "/kind", docker: docker, runner: runner)
    }

    /// What the session would start on the host, named: the alert receiver, and the webhook recorder with its
    /// port-forward to the loadtester when the scenario asserts on webhook calls.
    private func plumbing(_ setup: SessionSetup, backend: KindBackend) async throws -> KindScenarioSession.Plumbing {
        var plumbing = KindScenarioSession.Plumbing()
        if let forward = backend.ingressPortForward {
            _ = try await backend.runner.withBackground(forward) {}
        }
        guard let alertHost else { return plumbing }
        plumbing.receiverURL = "http://\(alertHost.advertised):<receiver-port>"
        if setup.observesWebhooks {
            _ = try await backend.runner.withBackground(
                KindScenarioSession.loadtesterForward(backend, port: "<local-port>")
            ) {}
            plumbing.recorderURL = "http://\(alertHost.advertised):<recorder-port>"
        }
        return plumbing
    }

    /// Runs a step's cluster side against the session; returns what the plan says about the rest.
    private func perform(
        _ step: Step,
        loaded: LoadedScenario,
        session: KindScenarioSession,
        backend: KindBackend
    ) async throws -> String? {
        let spec = loaded.scenario.spec
        if try await loaded.performOnCluster(step.action, session: session) {
            switch step.action {
            case .commit(let commit): return "commit on \(commit.branch ?? spec.git?.effectiveBranches.first ?? "main")"
            case .merge(let merge): return "merge \(merge.from) into \(merge.into)"
            default: return nil
            }
        }
        switch step.action {
        case .commit, .merge, .apply, .delete, .gate, .fault:
            return nil
        case .wait(let wait):
            let namespace = wait.namespace ?? spec.namespace
            let timeout = step.timeout.map { " (at most \($0))" } ?? ""
            if let canary = wait.canary {
                let poller = backend.canaryPoller(name: canary, namespace: namespace)
                _ = try await backend.object(kind: "canary", name: canary, namespace: namespace)
                for command in [
                    poller.ingressCommand("<ingressRef>-canary"),
                    poller.eventsCommand(uid: "<uid of canary \(canary)>"),
                ] {
                    _ = try await backend.runner.run(command, timeout: .seconds(30), streaming: false)
                }
                return
                    "\(step.action.summary)\(timeout); reads these every \(KindScenarioSession.pollInterval.formattedSeconds)"
            }
            if let object = wait.object ?? wait.condition.map({ ObjectReference(kind: $0.kind, name: $0.name) }) {
                _ = try await session.object(
                    ObjectReference(kind: object.kind, name: object.name, namespace: object.namespace ?? namespace)
                )
            }
            return "\(step.action.summary)\(timeout); polls"
        case .assert(let assert):
            if let object = assert.object {
                _ = try await session.object(
                    ObjectReference(kind: object.kind, name: object.name, namespace: object.namespace ?? spec.namespace)
                )
            }
            return "\(step.action.summary), on what the session recorded"
                + (assert.object == nil ? "" : " and the object as read")
        case .traffic(.start(let start)):
            let host = start.host ?? loaded.content.ingressHosts.first ?? "<no host>"
            let pace = start.rate.map { "\($0.formatted()) req/s" } ?? start.concurrency.map { "\($0) at a time" } ?? ""
            let end = start.until.map { ", until canary \($0.canary) decides" } ?? start.duration.map { ", for \($0)" }
            return "on the host: load '\(start.name)', \(start.method) \(backend.ingressBaseURL)"
                + "\(start.path) with Host \(host), \(pace)\(end ?? "")"
        case .traffic(.stop(let name)):
            return "on the host: stop load '\(name)'"
        case .sleep(let duration):
            return "sleep \(duration)"
        }
    }

    /// `$ command`, and after one that reads manifests on stdin, `  Kind/name (namespace)` per object.
    private func render(_ call: RecordingCommandRunner.Call) -> [String] {
        var words = call.command
        words.input = nil
        var lines = ["$ \(words)\(call.background ? " &   # in the background while the session runs" : "")"]
        guard let input = call.command.input else { return lines }
        if let documents = try? YAMLParser.parse(input, file: "stdin") {
            for document in documents.map(\.node) where !document.isNull {
                let kind = document["kind"]?.scalarValue ?? "?"
                let name = document.find(["metadata", "name"])?.scalarValue ?? "?"
                let namespace =
                    ClusterScope.isNamespaced(kind)
                    ? document.find(["metadata", "namespace"])?.scalarValue ?? "default" : "cluster"
                lines.append("  \(kind)/\(name) (\(namespace))")
            }
        }
        return lines
    }

    /// `kubectl kustomize`, once per directory: the plan's artifacts are copies that never change, and
    /// kind-config's overlays do not change during a plan.
    static func cachedRenderer() -> (String) throws -> [Node] {
        let render = UpstreamClusterModel.kustomizeRenderer()
        let cache = RenderCache()
        return { directory in
            if let hit = cache.values[directory] { return hit }
            let nodes = try render(directory)
            cache.values[directory] = nodes
            return nodes
        }
    }

    private final class RenderCache {
        var values: [String: [Node]] = [:]
    }
}
