import Foundation
import KindBackend
import Testing

@Suite("The kind backend's up/down plans")
struct StackPlannerTests {
    let config: KindConfig
    let planner: StackPlanner

    init() throws {
        config = try repositoryConfig()
        planner = StackPlanner(
            config: config,
            target: .kind(name: config.versions.cluster.name),
            workDirectory: "/work/.rollout-e2e/kind"
        )
    }

    private func step(_ id: String, in plan: [PlanStep]) throws -> PlanStep {
        try #require(plan.first { $0.id == id }, "no step '\(id)' in \(plan.map(\.id))")
    }

    private func command(_ id: String, in plan: [PlanStep]) throws -> Command {
        let step = try step(id, in: plan)
        return try #require(step.commands.last, "step '\(id)' runs no command")
    }

    @Test("up runs the stack in dependency order")
    func order() {
        let ids = planner.upPlan().map(\.id)
        #expect(
            ids == [
                "docker-info", "list-clusters", "create-cluster", "wait-kube-dns",
                "apply-namespaces", "install-ingress-nginx", "wait-ingress-nginx", "wait-admission-webhook",
                "flux-check-pre", "install-flux", "wait-flux",
                "install-flagger", "wait-flagger", "wait-flagger-prometheus", "install-loadtester",
                "apply-redis", "wait-redis", "apply-registry", "wait-registry",
                "gitops-init", "gitops-main", "gitops-seed", "gitops-add", "gitops-commit", "gitops-revision",
                "gitops-push",
                "apply-flux-source", "wait-source", "wait-kustomization", "wait-canary",
            ]
        )
    }

    @Test("the cluster is created from kind-config/cluster.yaml with the pinned node image, unless it exists")
    func createCluster() throws {
        let plan = planner.upPlan()
        let create = try step("create-cluster", in: plan)
        let words = try command("create-cluster", in: plan).words
        #expect(words.starts(with: ["kind", "create", "cluster", "--name", "rollout-e2e"]))
        #expect(words.contains(config.directory + "/cluster.yaml"))
        let image = "kindest/node:v1.35.5@sha256:ce977ae6d65918d0b58a5f8b5e940429c2ce42fa3a5619ec2bbc60b949c0ac95"
        #expect(words.contains(image))
        #expect(create.skip?.stepID == "list-clusters")
        #expect(create.skip?.line == "rollout-e2e")
        #expect(create.manifests == [config.directory + "/cluster.yaml"])
    }

    @Test(
        "each install names its pinned version",
        arguments: [
            ("install-ingress-nginx", ["--version", "4.15.1"]),
            ("install-flagger", ["--version", "1.44.0"]),
            ("install-loadtester", ["--version", "0.38.0"]),
            ("install-flux", ["--version=v2.9.4"]),
        ]
    )
    func installVersions(id: String, expected: [String]) throws {
        let words = try command(id, in: planner.upPlan()).words
        #expect(words.contains(expected[0]), "\(words)")
        if expected.count > 1 {
            let index = try #require(words.firstIndex(of: expected[0]))
            #expect(words[index + 1] == expected[1])
        }
    }

    @Test("helm installs use the values files in kind-config/helm and wait with a bound")
    func helmInstalls() throws {
        let plan = planner.upPlan()
        for (id, values, namespace) in [
            ("install-ingress-nginx", "ingress-nginx", "ingress-nginx"),
            ("install-flagger", "flagger", "ingress-nginx"),
            ("install-loadtester", "loadtester", "test"),
        ] {
            let words = try command(id, in: plan).words
            #expect(words.starts(with: ["helm", "upgrade", "--install"]))
            #expect(words.contains(config.directory + "/helm/\(values).values.yaml"))
            let ns = try #require(words.firstIndex(of: "--namespace"))
            #expect(words[ns + 1] == namespace)
            #expect(words.contains("--wait"))
            #expect(words.contains("--timeout"))
            #expect(words.contains("--kube-context") && words.contains("kind-rollout-e2e"))
            #expect(try step(id, in: plan).manifests == [config.directory + "/helm/\(values).values.yaml"])
        }
        #expect(
            try command("install-flux", in: plan).words.contains("--components=source-controller,kustomize-controller")
        )
    }

    @Test("every wait is bounded, and the step's own bound outlasts the tool's --timeout")
    func waitsAreBounded() throws {
        let waits = planner.upPlan().filter { $0.phase == .wait }
        #expect(waits.count == 11)
        for wait in waits {
            let words = try #require(wait.commands.last).words
            if wait.id == "wait-admission-webhook" {
                #expect(words.contains("--dry-run=server"))
                #expect(wait.retry.map { $0.attempts * Int($0.delay.components.seconds) } == 120)
                continue
            }
            let flag = try #require(words.first { $0.hasPrefix("--timeout=") }, "\(wait.id) has no --timeout")
            let seconds = try #require(Self.seconds(String(flag.dropFirst("--timeout=".count))))
            #expect(Int(wait.timeout.components.seconds) > seconds, "\(wait.id)")
        }
    }

    @Test("the GitOps source is pushed as an OCI artifact, then Flux is pointed at it and waited for")
    func gitOpsSource() throws {
        let plan = planner.upPlan()
        let push = try command("gitops-push", in: plan).words
        #expect(
            push == [
                "flux", "push", "artifact", "oci://localhost:5001/rollout-e2e/apps:main",
                "--path=/work/.rollout-e2e/kind/gitops", "--source=file:///work/.rollout-e2e/kind/gitops",
                "--revision=main@sha1:{{revision}}",
            ]
        )
        #expect(try step("gitops-revision", in: plan).capture == "revision")
        #expect(try step("gitops-push", in: plan).retry != nil)
        guard case .seed(let from, let to) = try step("gitops-seed", in: plan).action else {
            Issue.record("gitops-seed does not seed the work tree")
            return
        }
        #expect(from == config.directory + "/manifests/podinfo")
        #expect(to == "/work/.rollout-e2e/kind/gitops")
        #expect(
            try command("apply-flux-source", in: plan).words.suffix(2)
                == ["--kustomize", config.directory + "/manifests/flux-source"]
        )
        #expect(try command("wait-canary", in: plan).words.contains("--for=jsonpath={.status.phase}=Initialized"))
    }

    @Test("namespaces come from kind-config/manifests/namespaces")
    func namespaces() throws {
        let words = try command("apply-namespaces", in: planner.upPlan()).words
        #expect(
            words == [
                "kubectl", "--context", "kind-rollout-e2e", "apply", "--field-manager=flux-client-side-apply",
                "--kustomize", config.manifests("namespaces"),
            ]
        )
    }

    @Test("every cluster command names the cluster, so the user's current context is never touched")
    func explicitContext() {
        for command in planner.upPlan().flatMap(\.commands) {
            switch command.executable {
            case "kubectl": #expect(command.arguments.starts(with: ["--context", "kind-rollout-e2e"]), "\(command)")
            case "helm": #expect(command.arguments.suffix(2) == ["--kube-context", "kind-rollout-e2e"], "\(command)")
            case "flux" where command.arguments.first != "push":
                #expect(command.arguments.suffix(2) == ["--context", "kind-rollout-e2e"], "\(command)")
            default: break
            }
        }
    }

    @Test("with --kubeconfig nothing is created: no docker or kind, every command uses the kubeconfig")
    func kubeconfigTarget() throws {
        let planner = StackPlanner(
            config: config,
            target: .kubeconfig(path: "/home/me/.kube/prod"),
            workDirectory: "/w/kind"
        )
        let plan = planner.upPlan()
        let commands = plan.flatMap(\.commands)
        #expect(!commands.contains { $0.executable == "kind" || $0.executable == "docker" })
        #expect(plan.first?.id == "cluster-info")
        for command in commands where ["kubectl", "helm"].contains(command.executable) {
            #expect(command.arguments.contains("/home/me/.kube/prod"), "\(command)")
        }
        guard case .runDuring(_, let background) = try step("gitops-push", in: plan).action else {
            Issue.record("the push does not run through a port-forward")
            return
        }
        #expect(background.arguments.suffix(4) == ["gitops", "port-forward", "service/registry", "5001:5000"])
        #expect(planner.downPlan(keep: false).allSatisfy { $0.commands.allSatisfy { $0.executable != "kind" } })
    }

    @Test("down deletes the Kind cluster; --keep only removes the Flux source and what it deployed")
    func down() throws {
        let delete = planner.downPlan(keep: false)
        #expect(delete.flatMap(\.commands).map(\.words) == [["kind", "delete", "cluster", "--name", "rollout-e2e"]])
        let keep = planner.downPlan(keep: true).flatMap(\.commands)
        #expect(keep.count == 1)
        #expect(keep.first?.words.contains(config.manifests("flux-source")) == true)
        #expect(keep.first?.words.contains("delete") == true)
    }

    @Test("the dry-run text lists every step in order with its command, bound and manifests")
    func dryRunText() throws {
        let plan = planner.upPlan()
        let text = PlanPrinter.render(plan, heading: "plan")
        var cursor = text.startIndex
        for (index, step) in plan.enumerated() {
            let line = "\(index + 1). [\(step.phase.rawValue)] \(step.title)"
            let found = try #require(
                text.range(of: line, range: cursor..<text.endIndex),
                "missing or out of order: \(line)"
            )
            cursor = found.upperBound
            for command in step.commands { #expect(text.contains("$ \(command)")) }
        }
        #expect(text.contains("kind create cluster --name rollout-e2e --config \(config.directory)/cluster.yaml"))
        #expect(text.contains("sha256:ce977ae6d65918d0b58a5f8b5e940429c2ce42fa3a5619ec2bbc60b949c0ac95"))
        #expect(text.contains("up to 24 attempts 5s apart"))
        #expect(text.contains("skipped when step 'list-clusters' lists 'rollout-e2e'"))
        // The manifests themselves, not just their paths.
        #expect(text.contains("--- \(config.directory)/manifests/namespaces/namespaces.yaml"))
        #expect(text.contains("nodePort: 30050"))
        #expect(text.contains("meshProvider: nginx"))
        #expect(text.contains("kind: Canary"))
    }

    static func seconds(_ text: String) -> Int? {
        if text.hasSuffix("s") { return Int(text.dropLast()) }
        if text.hasSuffix("m") { return Int(text.dropLast()).map { $0 * 60 } }
        return nil
    }
}
