import Foundation
import TestSupport
import Testing

@Suite("rollout-e2e up --backend kind, the real binary")
struct KindCLITests {
    func run(_ arguments: [String], path: String, environment: [String: String] = [:]) throws -> CommandResult {
        let binary = try BuiltProducts.executable("rollout-e2e")
        return try runCommand(
            binary,
            arguments,
            environment: environment.merging(["PATH": path]) { _, path in path },
            workingDirectory: repositoryRoot,
            timeout: 60
        )
    }

    @Test("without kind, helm or flux it exits 3 naming each with its version and install command")
    func missingTools() throws {
        let result = try run(["up", "--backend", "kind"], path: try temporaryDirectory("empty"))
        #expect(result.status == 3, "stdout: \(result.stdout) stderr: \(result.stderr)")
        for expected in ["kind v0.32.0", "helm v3.21.1", "flux v2.9.4", "kubectl v1.35.1", "docker", "git"] {
            #expect(result.stderr.contains("- \(expected)"), "\(expected) not in: \(result.stderr)")
        }
        #expect(result.stderr.contains("https://kind.sigs.k8s.io/dl/v0.32.0/kind-linux-amd64"))
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test("with every tool but Docker's daemon down it exits 3 and says the daemon is not running")
    func dockerDown() throws {
        let bin = try fakeTools([
            "docker": (1, dockerDaemonDown), "kind": (0, ""), "kubectl": (0, ""), "helm": (0, ""), "flux": (0, ""),
            "git": (0, ""),
        ])
        let result = try run(["up", "--backend", "kind"], path: bin)
        #expect(result.status == 3)
        #expect(result.stderr.contains("Docker is installed but its daemon is not running"), "\(result.stderr)")
        #expect(!result.stderr.contains("kind create"))
    }

    @Test("--dry-run prints the whole plan and needs no tool at all")
    func dryRun() throws {
        let result = try run(["up", "--backend", "kind", "--dry-run"], path: try temporaryDirectory("empty"))
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.stdout
        let ordered = [
            "docker info", "kind get clusters", "kind create cluster --name rollout-e2e --config ",
            "kindest/node:v1.35.5@sha256:ce977ae6d65918d0b58a5f8b5e940429c2ce42fa3a5619ec2bbc60b949c0ac95",
            "--namespace kube-system wait",
            "apply --field-manager=flux-client-side-apply --kustomize \(repositoryRoot)/kind-config/manifests/namespaces",
            "helm upgrade --install ingress-nginx ingress-nginx", "--version 4.15.1",
            "rollout status deployment/ingress-nginx-controller --timeout=180s", "--dry-run=server",
            "flux install --version=v2.9.4", "helm upgrade --install flagger flagger", "--version 1.44.0",
            "deployment/flagger-prometheus", "helm upgrade --install flagger-loadtester loadtester", "--version 0.38.0",
            "manifests/redis", "manifests/registry", "flux push artifact oci://localhost:5001/rollout-e2e/apps:main",
            "manifests/flux-source", "wait ocirepository/apps", "wait kustomization/apps",
            "--for=jsonpath={.status.phase}=Initialized",
        ]
        var cursor = text.startIndex
        for fragment in ordered {
            let found = try #require(
                text.range(of: fragment, range: cursor..<text.endIndex),
                "'\(fragment)' missing or out of order"
            )
            cursor = found.upperBound
        }
        #expect(text.contains("kind: Cluster"))
        #expect(text.contains("name: test"))
    }

    @Test("--kubeconfig plans no cluster creation and aims every command at that kubeconfig")
    func kubeconfigDryRun() throws {
        let result = try run(
            ["up", "--backend", "kind", "--kubeconfig", "/tmp/other-cluster.yaml", "--dry-run"],
            path: try temporaryDirectory("empty")
        )
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("kind create cluster"))
        #expect(result.stdout.contains("kubectl --kubeconfig /tmp/other-cluster.yaml cluster-info"))
        #expect(result.stdout.contains("port-forward service/registry 5001:5000"))
    }

    @Test("down --dry-run prints the cluster deletion, and --keep keeps the cluster")
    func downDryRun() throws {
        let delete = try run(["down", "--backend", "kind", "--dry-run"], path: "/nonexistent")
        #expect(delete.status == 0)
        #expect(delete.stdout.contains("$ kind delete cluster --name rollout-e2e"))
        let keep = try run(["down", "--backend", "kind", "--keep", "--dry-run"], path: "/nonexistent")
        #expect(keep.status == 0)
        #expect(!keep.stdout.contains("kind delete cluster"))
        #expect(keep.stdout.contains("delete --kustomize"))
    }

    /// Every tool answers, `kind get clusters` lists nothing, and kubectl must not be reached.
    func toolsWithoutCluster() throws -> String {
        try fakeTools([
            "docker": (0, ""), "kind": (0, ""), "kubectl": (1, "kubectl must not run without a cluster"),
            "helm": (0, ""), "flux": (0, ""), "git": (0, ""),
        ])
    }

    @Test("down --keep without a cluster says there is nothing to remove instead of failing on kubectl")
    func downKeepWithoutCluster() throws {
        let result = try run(["down", "--backend", "kind", "--keep"], path: try toolsWithoutCluster())
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("no Kind cluster 'rollout-e2e': nothing to remove"))
        #expect(!result.stderr.contains("kubectl must not run"))
    }

    @Test("run on kind without a cluster exits 3 and says to bring it up first")
    func runWithoutCluster() throws {
        let result = try run(
            ["run", "scenarios/promote.yaml", "--backend", "kind", "--work-dir", try temporaryDirectory("work")],
            path: try toolsWithoutCluster()
        )
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("run `rollout-e2e up --backend kind` first"))
        #expect(!result.stdout.contains("PASS"))
    }

    @Test("run --dry-run on the local backend is a usage error, and an invalid scenario exits 2")
    func runDryRunInputs() throws {
        let local = try run(["run", "scenarios/promote.yaml", "--dry-run"], path: "/nonexistent")
        #expect(local.status == 2, "\(local.stderr)")
        #expect(local.stderr.contains("--backend kind"))
        let directory = try temporaryDirectory("bad")
        let bad = directory + "/bad.yaml"
        try Data("apiVersion: rollout-e2e/v1\nkind: Scenario\nmetadata: {name: bad}\nspec: {steps: []}\n".utf8)
            .write(to: URL(fileURLWithPath: bad))
        let invalid = try run(["run", bad, "--backend", "kind", "--dry-run"], path: "/nonexistent")
        #expect(invalid.status == 2, "\(invalid.stdout) \(invalid.stderr)")
        #expect(invalid.stderr.contains("bad.yaml:"))
    }

}

/// `run --backend kind --dry-run` through the real binary: it plans every scenario with real git and
/// `kubectl kustomize` processes, so it runs in the serial integration phase of `make test`.
@Suite("run --backend kind --dry-run, the real binary")
struct KindPlanCLIIntegrationTests {
    let cli = KindCLITests()

    @Test("run --dry-run plans every scenario without docker, kind, flux or helm, and checks them upstream")
    func runDryRun() throws {
        // Only git (the plan's scratch commits) and kubectl (kustomize renders for the upstream checks).
        let bin = try temporaryDirectory("git-kubectl")
        for tool in ["git", "kubectl"] {
            try FileManager.default.createSymbolicLink(
                atPath: bin + "/" + tool,
                withDestinationPath: try requireBinary(tool, debianPackage: tool == "git" ? "git" : kubectlInstallHint)
            )
        }
        let work = try temporaryDirectory("work")
        let result = try cli.run(["run", "scenarios", "--backend", "kind", "--dry-run", "--work-dir", work], path: bin)
        #expect(result.status == 0, "\(result.stderr)")
        let scenarios = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot + "/scenarios")
            .filter { $0.hasSuffix(".yaml") }
        #expect(scenarios.count >= 10)
        for file in scenarios {
            let name = String(file.dropLast(".yaml".count))
            #expect(result.stdout.contains("== \(name) (scenarios/\(file))"), "\(name) has no plan")
            #expect(result.stdout.contains("$ flux push artifact oci://localhost:5001/rollout-e2e/\(name):main"))
        }
        #expect(!result.stdout.contains("\n! "), "upstream findings in the plan")
        // Nothing ran: no work tree under the real work directory.
        #expect((try? FileManager.default.contentsOfDirectory(atPath: work)) ?? [] == [])
    }

    @Test("DOCKER_HOST=tcp://docker:2375 (GitLab's docker:dind): the plans publish and push on docker, not localhost")
    func remoteDockerDryRun() throws {
        let environment = ["DOCKER_HOST": "tcp://docker:2375"]
        let up = try cli.run(["up", "--backend", "kind", "--dry-run"], path: "/nonexistent", environment: environment)
        #expect(up.status == 0, "\(up.stderr)")
        for fragment in [
            "kind create cluster --name rollout-e2e --config=-", "apiServerAddress: \"0.0.0.0\"", "- \"docker\"",
            "$ kubectl config set-cluster kind-rollout-e2e --server=https://docker:6443",
            "flux push artifact oci://docker:5001/rollout-e2e/apps:main", "--insecure-registry",
        ] {
            #expect(up.stdout.contains(fragment), "\(fragment) not in the up plan")
        }
        #expect(!up.stdout.contains("oci://localhost:5001"))
        let bin = try temporaryDirectory("git-kubectl-remote")
        for tool in ["git", "kubectl"] {
            try FileManager.default.createSymbolicLink(
                atPath: bin + "/" + tool,
                withDestinationPath: try requireBinary(tool, debianPackage: tool == "git" ? "git" : kubectlInstallHint)
            )
        }
        let plan = try cli.run(
            [
                "run", "scenarios/slack-alerts.yaml", "--backend", "kind", "--dry-run", "--work-dir",
                try temporaryDirectory("w"),
            ],
            path: bin,
            environment: environment
        )
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("flux push artifact oci://docker:5001/rollout-e2e/slack-alerts:main"))
        #expect(plan.stdout.contains("http://docker:80/"))
    }
}
