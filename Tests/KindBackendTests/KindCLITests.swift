import Foundation
import TestSupport
import Testing

@Suite("rollout-e2e up --backend kind, the real binary")
struct KindCLITests {
    func run(_ arguments: [String], path: String) throws -> CommandResult {
        let binary = try BuiltProducts.executable("rollout-e2e")
        return try runCommand(
            binary,
            arguments,
            environment: ["PATH": path],
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
            "kindest/node:v1.35.1@sha256:05d7bcdefbda08b4e038f644c4df690cdac3fba8b06f8289f30e10026720a1ab",
            "--namespace kube-system wait", "apply --kustomize \(repositoryRoot)/kind-config/manifests/namespaces",
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
}
