import Foundation
import KindBackend
import Testing

@Suite("Tool discovery: missing tools and a stopped Docker are reported with what to do")
struct ToolDiscoveryTests {
    let versions: StackVersions

    init() throws {
        versions = try repositoryConfig().versions
    }

    @Test("an empty PATH names every tool, its pinned version and its install command")
    func missingEverything() async throws {
        let empty = try temporaryDirectory("empty")
        let discovery = ToolDiscovery(searchPath: empty)
        let runner = SubprocessRunner(discovery: discovery)
        let error = await #expect(throws: KindBackendError.self) {
            try await discovery.check(for: .kind(name: "rollout-e2e"), versions: versions, runner: runner)
        }
        let message = try #require(error).message
        #expect(error?.code == .missingTools)
        #expect(error?.isEnvironment == true)
        #expect(
            message.contains("- kind v0.32.0: curl -fsSLo /usr/local/bin/kind https://kind.sigs.k8s.io/dl/v0.32.0/")
        )
        #expect(
            message.contains("- kubectl v1.35.1: curl -fsSLo /usr/local/bin/kubectl https://dl.k8s.io/release/v1.35.1/")
        )
        #expect(message.contains("- helm v3.21.1: curl -fsSL https://get.helm.sh/helm-v3.21.1-linux-amd64.tar.gz"))
        #expect(message.contains("- flux v2.9.4: curl -fsSL https://github.com/fluxcd/flux2/releases/download/v2.9.4/"))
        #expect(message.contains("- docker: install Docker Engine"))
        #expect(message.contains("- git: apt-get install -y git"))
    }

    @Test("with --kubeconfig neither Docker nor kind is needed")
    func kubeconfigNeedsNoDocker() async throws {
        let empty = try temporaryDirectory("empty")
        let discovery = ToolDiscovery(searchPath: empty)
        let error = await #expect(throws: KindBackendError.self) {
            try await discovery.check(
                for: .kubeconfig(path: "/k"),
                versions: versions,
                runner: SubprocessRunner(discovery: discovery)
            )
        }
        let message = try #require(error).message
        #expect(!message.contains("docker") && !message.contains("- kind"))
        #expect(message.contains("- kubectl") && message.contains("- helm") && message.contains("- flux"))
    }

    @Test("only the missing tools are listed, and a stopped daemon is mentioned with them")
    func someMissing() async throws {
        let bin = try fakeTools(["docker": (1, dockerDaemonDown), "kubectl": (0, ""), "git": (0, "")])
        let discovery = ToolDiscovery(searchPath: bin)
        let error = await #expect(throws: KindBackendError.self) {
            try await discovery.check(
                for: .kind(name: "rollout-e2e"),
                versions: versions,
                runner: SubprocessRunner(discovery: discovery)
            )
        }
        let message = try #require(error).message
        #expect(message.contains("- kind v0.32.0") && message.contains("- helm") && message.contains("- flux"))
        #expect(!message.contains("- kubectl") && !message.contains("- git") && !message.contains("- docker"))
        #expect(message.contains("Docker is installed but its daemon is not running"))
    }

    @Test("Docker present but not running: says so, not a stack trace")
    func dockerDown() async throws {
        let bin = try fakeTools([
            "docker": (1, dockerDaemonDown), "kind": (0, ""), "kubectl": (0, ""), "helm": (0, ""), "flux": (0, ""),
            "git": (0, ""),
        ])
        let discovery = ToolDiscovery(searchPath: bin)
        let error = await #expect(throws: KindBackendError.self) {
            try await discovery.check(
                for: .kind(name: "rollout-e2e"),
                versions: versions,
                runner: SubprocessRunner(discovery: discovery)
            )
        }
        #expect(error?.code == .dockerUnavailable)
        #expect(error?.isEnvironment == true)
        let message = try #require(error).message
        #expect(message.hasPrefix("Docker is installed but its daemon is not running"))
        #expect(message.contains("Cannot connect to the Docker daemon"))
        #expect(message.contains("systemctl start docker"))
    }

    @Test("a daemon the user may not use is reported as a permission problem")
    func dockerPermission() async throws {
        let bin = try fakeTools([
            "docker": (1, "Got permission denied while trying to connect to the Docker daemon socket")
        ])
        let problem = await ToolDiscovery.dockerDaemonProblem(
            runner: SubprocessRunner(discovery: ToolDiscovery(searchPath: bin))
        )
        #expect(problem?.contains("usermod -aG docker") == true)
    }

    @Test("a running daemon and every tool present pass")
    func allPresent() async throws {
        let bin = try fakeTools([
            "docker": (0, ""), "kind": (0, ""), "kubectl": (0, ""), "helm": (0, ""), "flux": (0, ""), "git": (0, ""),
        ])
        let discovery = ToolDiscovery(searchPath: bin)
        try await discovery.check(
            for: .kind(name: "rollout-e2e"),
            versions: versions,
            runner: SubprocessRunner(discovery: discovery)
        )
    }
}
