import CurlHTTP
import Foundation
import KindBackend
import ObjectModel
import Synchronization
import Testing
import YAML

@Suite("Executing plans and scenario steps, checked command by command")
struct KindBackendStepTests {
    @Test("up runs every step in order, creating the cluster when 'kind get clusters' does not list it")
    func upCreates() async throws {
        let work = try temporaryDirectory("up")
        let (backend, runner) = try recordingBackend(workDirectory: work) { command in
            command.words.contains("rev-parse") ? CommandResult(output: "0123abcd\n") : CommandResult(output: "other\n")
        }
        try await backend.up(reportDirectory: work + "/report")
        let commands = runner.commands
        let expected = backend.planner.upPlan().flatMap(\.commands).map(\.words.first)
        #expect(commands.map(\.words.first) == expected)
        #expect(commands.contains { $0.words.starts(with: ["kind", "create", "cluster"]) })
        let push = try #require(commands.first { $0.words.starts(with: ["flux", "push"]) })
        #expect(push.arguments.last == "--revision=main@sha1:0123abcd")
        // The work tree now holds podinfo's manifests.
        let files = try FileManager.default.contentsOfDirectory(atPath: work + "/gitops").sorted()
        #expect(files == ["canary.yaml", "deployment.yaml", "ingress.yaml", "kustomization.yaml"])
    }

    @Test("an existing cluster is reused")
    func upReuses() async throws {
        let (backend, runner) = try recordingBackend(workDirectory: try temporaryDirectory("reuse")) { command in
            command.words == ["kind", "get", "clusters"] ? CommandResult(output: "dev\nrollout-e2e\n") : CommandResult()
        }
        try await backend.up(reportDirectory: "/nonexistent")
        #expect(!runner.commands.contains { $0.words.starts(with: ["kind", "create"]) })
        #expect(
            runner.commands.contains { $0.arguments.contains("rollout") && $0.arguments.contains("deployment/flagger") }
        )
    }

    @Test("a failing install stops the plan, names step and command, and saves diagnostics")
    func failureCollectsLogs() async throws {
        let work = try temporaryDirectory("fail")
        let (backend, runner) = try recordingBackend(workDirectory: work) { command in
            if command.arguments.contains("flagger") && command.executable == "helm" {
                return CommandResult(status: 1, errorOutput: "Error: INSTALLATION FAILED: context deadline exceeded")
            }
            return CommandResult(output: "flagger logs here")
        }
        let report = work + "/report"
        let error = await #expect(throws: KindBackendError.self) { try await backend.up(reportDirectory: report) }
        let message = try #require(error).message
        #expect(error?.code == .commandFailed)
        #expect(message.contains("step 'install-flagger'"))
        #expect(message.contains("after 2 attempts"))
        #expect(message.contains("INSTALLATION FAILED"))
        #expect(message.contains("diagnostics"))
        #expect(message.contains("`rollout-e2e down --backend kind` deletes it"))
        #expect(!runner.commands.contains { $0.arguments.contains("flagger-loadtester") && $0.executable == "helm" })
        for file in [
            "flagger.log", "canary-apps-podinfo-describe.txt", "ingress-nginx-controller.log",
            "flux-source-controller.log", "events-apps.txt",
        ] {
            let text = try String(contentsOfFile: report + "/" + file, encoding: .utf8)
            #expect(text.hasPrefix("$ kubectl --context kind-rollout-e2e"), "\(file)")
        }
        #expect(
            runner.commands.contains {
                $0.words == ["kind", "export", "logs", report + "/kind-logs", "--name", "rollout-e2e"]
            }
        )
    }

    @Test("a retried step runs again after its delay until it succeeds")
    func retries() async throws {
        let calls = Counter()
        let (backend, runner) = try recordingBackend { _ in
            calls.increment() < 3 ? CommandResult(status: 1, errorOutput: "failed calling webhook") : CommandResult()
        }
        let step = PlanStep(
            id: "probe",
            phase: .wait,
            title: "probe",
            action: .run(Command("kubectl", ["apply"])),
            timeout: .seconds(5),
            retry: PlanStep.Retry(attempts: 5, delay: .milliseconds(10), reason: "webhook")
        )
        _ = try await backend.execute([step])
        #expect(runner.commands.count == 3)
    }

    @Test("down deletes the Kind cluster, or with --keep only the Flux source")
    func down() async throws {
        let (backend, runner) = try recordingBackend()
        try await backend.down(keep: false)
        try await backend.down(keep: true)
        #expect(runner.commands.first?.words == ["kind", "delete", "cluster", "--name", "rollout-e2e"])
        #expect(runner.commands.last?.words.contains("--ignore-not-found") == true)
    }

    @Test("commit writes the work tree, commits, pushes, and waits until Flux applied the revision")
    func commit() async throws {
        let work = try temporaryDirectory("commit")
        let (backend, runner) = try recordingBackend(workDirectory: work) { command in
            command.words.contains("rev-parse") ? CommandResult(output: "feedbeef\n") : CommandResult()
        }
        let revision = try await backend.commit(
            files: ["deployment.yaml": "kind: Deployment\n", "extra/a.yaml": "a: 1\n"],
            message: "bump podinfo"
        )
        #expect(revision == "feedbeef")
        #expect(try String(contentsOfFile: work + "/gitops/extra/a.yaml", encoding: .utf8) == "a: 1\n")
        let token = "1800000000"
        let ctx = ["kubectl", "--context", "kind-rollout-e2e", "--namespace", "flux-system"]
        #expect(
            runner.commands.map(\.words) == [
                ["git", "-C", work + "/gitops", "rev-parse", "--verify", "--quiet", "refs/heads/main"],
                ["git", "-C", work + "/gitops", "checkout", "--quiet", "main"],
                ["git", "-C", work + "/gitops", "add", "--all"],
                [
                    "git", "-C", work + "/gitops", "-c", "user.name=rollout-e2e", "-c",
                    "user.email=rollout-e2e@localhost",
                    "commit", "--quiet", "--allow-empty", "--message", "bump podinfo",
                ],
                ["git", "-C", work + "/gitops", "rev-parse", "HEAD"],
                [
                    "flux", "push", "artifact", "oci://localhost:5001/rollout-e2e/apps:main", "--path=\(work)/gitops",
                    "--source=file://\(work)/gitops", "--revision=main@sha1:feedbeef",
                ],
                ctx + [
                    "annotate", "--field-manager=flux-client-side-apply", "--overwrite", "ocirepository/apps",
                    "reconcile.fluxcd.io/requestedAt=\(token)",
                ],
                ctx + [
                    "wait", "ocirepository/apps", "--for=jsonpath={.status.lastHandledReconcileAt}=\(token)",
                    "--timeout=2m",
                ],
                ctx + ["wait", "ocirepository/apps", "--for=condition=ready", "--timeout=3m"],
                ctx + [
                    "annotate", "--field-manager=flux-client-side-apply", "--overwrite", "kustomization/apps",
                    "reconcile.fluxcd.io/requestedAt=\(token)",
                ],
                ctx + [
                    "wait", "kustomization/apps", "--for=jsonpath={.status.lastHandledReconcileAt}=\(token)",
                    "--timeout=2m",
                ],
                ctx + ["wait", "kustomization/apps", "--for=condition=ready", "--timeout=3m"],
            ]
        )
    }

    @Test("a commit on a new branch creates it and pushes that branch's artifact")
    func commitOnBranch() async throws {
        let work = try temporaryDirectory("branch")
        let (backend, runner) = try recordingBackend(workDirectory: work) { command in
            if command.arguments.contains("--verify") { return CommandResult(status: 1) }
            return command.words.contains("rev-parse") ? CommandResult(output: "0ff1ce\n") : CommandResult()
        }
        try await backend.commit(files: ["a.yaml": "a: 1\n"], message: "to staging", branch: "staging")
        let words = runner.commands.map(\.words)
        #expect(words[1] == ["git", "-C", work + "/gitops", "checkout", "--quiet", "-b", "staging"])
        let push = try #require(words.first { $0.starts(with: ["flux", "push"]) })
        #expect(push[3] == "oci://localhost:5001/rollout-e2e/apps:staging")
        #expect(push.last == "--revision=staging@sha1:0ff1ce")
    }

    @Test("with --kubeconfig the push runs through a port-forward to the registry")
    func commitThroughPortForward() async throws {
        let (backend, runner) = try recordingBackend(
            target: .kubeconfig(path: "/k/config"),
            workDirectory: try temporaryDirectory("pf")
        )
        try await backend.commit(files: [:], message: "m")
        let background = runner.recorded.filter(\.background).map(\.command.words)
        #expect(
            background == [
                [
                    "kubectl", "--kubeconfig", "/k/config", "--namespace", "gitops", "port-forward", "service/registry",
                    "5001:5000",
                ]
            ]
        )
    }

    @Test(
        "gates are opened and closed from inside the loadtester pod",
        arguments: [
            (LoadtesterGate.confirm, true, "/gate/open"), (.confirm, false, "/gate/close"),
            (.rollback, true, "/rollback/open"), (.rollback, false, "/rollback/close"),
        ]
    )
    func gates(gate: LoadtesterGate, open: Bool, path: String) async throws {
        let (backend, runner) = try recordingBackend()
        try await backend.setGate(gate, open: open, canary: "podinfo", namespace: "apps")
        #expect(
            runner.commands.map(\.words) == [
                [
                    "kubectl", "--context", "kind-rollout-e2e", "--namespace", "test", "exec",
                    "deployment/flagger-loadtester",
                    "--", "curl", "--silent", "--show-error", "--fail", "--max-time", "10", "--request", "POST",
                    "--header", "Content-Type: application/json", "--data", #"{"name":"podinfo","namespace":"apps"}"#,
                    "http://flagger-loadtester.test\(path)",
                ]
            ]
        )
    }

    @Test(
        "faults are kubectl commands on the target cluster",
        arguments: [
            (
                Fault.setEnvironment(
                    deployment: "podinfo",
                    namespace: "apps",
                    variables: ["PODINFO_RANDOM_ERROR": "true", "A": "1"]
                ),
                [
                    "--namespace", "apps", "set", "env", "--field-manager=flux-client-side-apply", "deployment/podinfo",
                    "A=1", "PODINFO_RANDOM_ERROR=true",
                ]
            ),
            (
                .deletePods(namespace: "apps", selector: "app=podinfo"),
                ["--namespace", "apps", "delete", "pods", "--selector=app=podinfo", "--wait=false"]
            ),
            (
                .scale(deployment: "cache", namespace: "apps", replicas: 0),
                [
                    "--namespace", "apps", "patch", "deployment/cache", "--subresource=scale", "--type=merge",
                    "--patch={\"spec\":{\"replicas\":0}}", "--field-manager=flux-client-side-apply",
                ]
            ),
            (
                .restart(deployment: "podinfo", namespace: "apps"),
                [
                    "--namespace", "apps", "rollout", "restart", "--field-manager=flux-client-side-apply",
                    "deployment/podinfo",
                ]
            ),
        ]
    )
    func faults(fault: Fault, arguments: [String]) async throws {
        let (backend, runner) = try recordingBackend()
        try await backend.inject(fault)
        #expect(runner.commands.map(\.words) == [["kubectl", "--context", "kind-rollout-e2e"] + arguments])
    }

    @Test("a failing fault reports the command and kubectl's error")
    func faultFails() async throws {
        let (backend, _) = try recordingBackend { _ in
            CommandResult(status: 1, errorOutput: "deployments.apps \"nope\" not found")
        }
        let error = await #expect(throws: KindBackendError.self) {
            try await backend.inject(.restart(deployment: "nope", namespace: "apps"))
        }
        #expect(
            error?.message.contains("rollout restart --field-manager=flux-client-side-apply deployment/nope") == true
        )
        #expect(error?.message.contains("not found") == true)
    }

    @Test("applying manifests retries while the admission webhook refuses them")
    func applyRetries() async throws {
        let calls = Counter()
        let (backend, runner) = try recordingBackend { _ in
            calls.increment() == 1
                ? CommandResult(
                    status: 1,
                    errorOutput: "failed calling webhook \"validate.nginx.ingress.kubernetes.io\""
                )
                : CommandResult()
        }
        try await backend.apply(documents: [try node("kind: Ingress\n")])
        #expect(runner.commands.count == 2)
        let input = try #require(runner.commands.last?.input)
        #expect(try YAMLParser.parse(input, file: "stdin").map { $0.node["kind"]?.scalarValue } == ["Ingress"])
        #expect(runner.commands.last?.arguments.suffix(2) == ["apply", "--filename=-"])
    }

    @Test("objects are applied into a namespace, read as JSON, and deleted idempotently")
    func objects() async throws {
        let (backend, runner) = try recordingBackend { command in
            if command.arguments.contains("get") {
                return command.arguments.contains("gone")
                    ? CommandResult() : CommandResult(output: "{\"kind\":\"Canary\"}\n")
            }
            return CommandResult()
        }
        try await backend.apply(documents: [try node("kind: ConfigMap\n")], namespace: "apps")
        #expect(try await backend.object(kind: "canary", name: "podinfo", namespace: "apps") == "{\"kind\":\"Canary\"}")
        #expect(try await backend.object(kind: "canary", name: "gone", namespace: "apps") == nil)
        try await backend.delete(kind: "canary", name: "podinfo", namespace: "apps")
        // The namespace is written into the object, not passed as --namespace (kubectl would enforce it on all).
        let applied = try YAMLParser.parse(try #require(runner.commands.first?.input), file: "stdin")
        #expect(applied.first?.node.find(["metadata", "namespace"])?.scalarValue == "apps")
        let ctx = ["kubectl", "--context", "kind-rollout-e2e", "--namespace", "apps"]
        #expect(
            runner.commands.map(\.words) == [
                Array(ctx.prefix(3)) + ["apply", "--filename=-"],
                ctx + ["get", "canary", "podinfo", "--ignore-not-found", "--output=json"],
                ctx + ["get", "canary", "gone", "--ignore-not-found", "--output=json"],
                ctx + ["delete", "canary", "podinfo", "--ignore-not-found", "--wait=false"],
            ]
        )
    }

    @Test("traffic goes to the ingress port on the host with the app's Host header")
    func ingressLoad() throws {
        let (backend, _) = try recordingBackend()
        let spec = backend.ingressLoad(path: "/status/500", mode: .concurrency(2), limit: .requests(10))
        #expect(spec.url == "http://127.0.0.1:80/status/500")
        #expect(spec.host == "app.example.com")
        #expect(spec.sampleBody)
        #expect(backend.ingressPortForward == nil)
        let (remote, _) = try recordingBackend(target: .kubeconfig(path: "/k"))
        #expect(remote.ingressLoad(mode: .concurrency(1), limit: .requests(1)).url == "http://127.0.0.1:8080/")
        #expect(
            remote.ingressPortForward?.arguments.suffix(3) == [
                "port-forward", "service/ingress-nginx-controller", "8080:80",
            ]
        )
    }
}

/// A thread-safe call counter for responders.
final class Counter: Sendable {
    private let value = Mutex(0)
    /// Increments and returns the new count.
    func increment() -> Int {
        value.withLock {
            $0 += 1; return $0
        }
    }
}
