import CurlHTTP
import Foundation
import KindBackend
import Testing
import YAML

/// Where Docker runs decides where the cluster's ports are and how pods reach the harness (``DockerHost``).
@Suite("Docker Engine, Docker Desktop and a remote daemon (GitLab's docker:dind)")
struct DockerHostTests {
    @Test(
        "DOCKER_HOST names a remote host only for a non-loopback tcp or ssh address",
        arguments: [
            ("tcp://docker:2375", "docker"), ("tcp://10.1.2.3:2376", "10.1.2.3"), ("ssh://ci@build-host", "build-host"),
            ("tcp://[fd00::1]:2375", "fd00::1"), ("unix:///var/run/docker.sock", nil), ("tcp://127.0.0.1:2375", nil),
            ("tcp://localhost:2375", nil), ("", nil),
        ] as [(String, String?)]
    )
    func remoteHost(value: String, host: String?) {
        #expect(DockerHost.remoteHost(environment: ["DOCKER_HOST": value]) == host)
    }

    @Test("docker info's operating system tells Docker Desktop from Engine; DOCKER_HOST wins over both")
    func detect() {
        #expect(DockerHost.detect(environment: [:], operatingSystem: "Docker Desktop") == .desktop)
        #expect(DockerHost.detect(environment: [:], operatingSystem: "Ubuntu 24.04.1 LTS") == .local)
        #expect(DockerHost.detect(environment: [:], operatingSystem: nil) == .local)
        #expect(
            DockerHost.detect(environment: ["DOCKER_HOST": "tcp://docker:2375"], operatingSystem: "Docker Desktop")
                == .remote(host: "docker")
        )
    }

    @Test(
        "for a remote daemon cluster.yaml publishes on 0.0.0.0, the API server on 0.0.0.0:6443 with the host as a SAN"
    )
    func remoteClusterConfig() throws {
        let file = repositoryRoot + "/kind-config/cluster.yaml"
        let original = try String(contentsOfFile: file, encoding: .utf8)
        #expect(try DockerHost.local.clusterConfig(original, file: file) == nil)
        let text = try #require(try DockerHost.remote(host: "docker").clusterConfig(original, file: file))
        let cluster = try #require(try YAMLParser.parse(text, file: "derived").first?.node)
        #expect(cluster["kind"]?.scalarValue == "Cluster")
        #expect(cluster.find(["networking", "apiServerAddress"])?.scalarValue == "0.0.0.0")
        #expect(cluster.find(["networking", "apiServerPort"])?.scalarValue == "6443")
        let node = try #require(cluster["nodes"]?.items?.first)
        let mappings = try #require(node["extraPortMappings"]?.items)
        #expect(mappings.count == 3)
        #expect(mappings.allSatisfy { $0["listenAddress"]?.scalarValue == "0.0.0.0" })
        let patches = node["kubeadmConfigPatches"]?.items?.compactMap(\.scalarValue) ?? []
        try #require(patches.count == 2)
        #expect(patches[0].contains("node-labels: \"ingress-ready=true\""))
        let sans = try #require(try YAMLParser.parse(patches[1], file: "patch").first?.node)
        #expect(sans["kind"]?.scalarValue == "ClusterConfiguration")
        #expect(sans.find(["apiServer", "certSANs"])?.items?.compactMap(\.scalarValue) == ["docker"])
        #expect(node["image"]?.scalarValue == (try repositoryConfig()).versions.cluster.nodeImage)
    }

    @Test(
        "up on a remote daemon: kind reads the rewritten config on stdin, the kubeconfig names the host, pushes go there"
    )
    func remotePlan() throws {
        let planner = StackPlanner(
            config: try repositoryConfig(),
            target: .kind(name: "rollout-e2e"),
            workDirectory: "/w",
            docker: .remote(host: "docker")
        )
        let plan = planner.upPlan()
        let create = try #require(plan.first { $0.id == "create-cluster" }?.commands.first)
        #expect(create.arguments.contains("--config=-"))
        let input = try #require(create.input)
        let config = try #require(try YAMLParser.parse(input, file: "stdin").first?.node)
        #expect(config.find(["networking", "apiServerAddress"])?.scalarValue == "0.0.0.0")
        let ids = plan.map(\.id)
        let server = try #require(ids.firstIndex(of: "kubeconfig-server"))
        #expect(server == (ids.firstIndex(of: "create-cluster") ?? 0) + 1)
        #expect(
            plan[server].commands.first?.words
                == ["kubectl", "config", "set-cluster", "kind-rollout-e2e", "--server=https://docker:6443"]
        )
        let push = try #require(plan.first { $0.id == "gitops-push" }?.commands.last)
        #expect(push.arguments[2] == "oci://docker:5001/rollout-e2e/apps:main")
        #expect(push.arguments.last == "--insecure-registry")
        // On Engine nothing of this: the file, localhost, no flag.
        let local = StackPlanner(
            config: try repositoryConfig(),
            target: .kind(name: "rollout-e2e"),
            workDirectory: "/w"
        )
        #expect(!local.upPlan().contains { $0.id == "kubeconfig-server" })
        let localPush = try #require(local.upPlan().first { $0.id == "gitops-push" }?.commands.last)
        #expect(localPush.arguments[2] == "oci://localhost:5001/rollout-e2e/apps:main")
        #expect(!localPush.arguments.contains("--insecure-registry"))
    }

    @Test("traffic goes to the daemon's host when it is remote")
    func remoteIngress() throws {
        let backend = KindBackend(
            config: try repositoryConfig(),
            target: .kind(name: "rollout-e2e"),
            workDirectory: "/w",
            docker: .remote(host: "docker"),
            runner: RecordingCommandRunner()
        )
        #expect(backend.ingressBaseURL == "http://docker:80")
        #expect(backend.ingressLoad(path: "/x", mode: .concurrency(1), limit: .requests(1)).url == "http://docker:80/x")
    }

    @Test("this machine's address towards a host is the source address the kernel picks")
    func localAddress() {
        #expect(HostAddress.localAddress(towards: "127.0.0.1") == "127.0.0.1")
        #expect(HostAddress.localAddress(towards: "no-such-host.invalid") == nil)
    }
}

@Suite("The GitLab CI job (ci/gitlab/nightly-e2e.gitlab-ci.yml)")
struct GitLabJobTests {
    static let file = repositoryRoot + "/ci/gitlab/nightly-e2e.gitlab-ci.yml"

    @Test("runs make e2e-kind against a docker:dind service named docker, which DOCKER_HOST names")
    func job() throws {
        let root = try #require(
            try YAMLParser.parse(String(contentsOfFile: Self.file, encoding: .utf8), file: Self.file).first?.node
        )
        let job = try #require(root["rollout-e2e:nightly-kind"])
        #expect(job.find(["variables", "DOCKER_HOST"])?.scalarValue == "tcp://docker:2375")
        #expect(job.find(["variables", "DOCKER_TLS_CERTDIR"])?.scalarValue == "")
        let service = try #require(job["services"]?.items?.first)
        #expect(service["alias"]?.scalarValue == "docker")
        #expect(root.find(["variables", "ROLLOUT_E2E_DIND_IMAGE"])?.scalarValue?.hasSuffix("-dind") == true)
        let script = job["script"]?.items?.compactMap(\.scalarValue) ?? []
        #expect(script.contains("make e2e-kind"))
        // The job's DOCKER_HOST is what the kind backend reads as a remote daemon.
        #expect(
            DockerHost.detect(environment: ["DOCKER_HOST": "tcp://docker:2375"], operatingSystem: nil)
                == .remote(host: "docker")
        )
    }

    @Test("each tool pin the job reads with `sed -n 's/^  TOOL: //p'` is the one versions.yaml pins")
    func pins() throws {
        let text = try String(contentsOfFile: repositoryRoot + "/kind-config/versions.yaml", encoding: .utf8)
        let tools = try repositoryConfig().versions.tools
        for (tool, pinned) in [
            ("kind", tools.kind), ("kubectl", tools.kubectl), ("helm", tools.helm), ("flux", tools.flux),
        ] {
            let lines = text.split(separator: "\n").filter { $0.hasPrefix("  \(tool): ") }
            #expect(lines.map { String($0.dropFirst("  \(tool): ".count)) } == [pinned], "\(tool)")
        }
        let job = try String(contentsOfFile: Self.file, encoding: .utf8)
        for tool in ["kind", "kubectl", "helm", "flux"] { #expect(job.contains("pin \(tool)"), "\(tool)") }
    }
}
