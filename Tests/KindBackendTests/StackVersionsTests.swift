import Foundation
import KindBackend
import Testing
import YAML

@Suite("kind-config/: one file of pins, and everything else agrees with it")
struct StackVersionsTests {
    let config: KindConfig
    var versions: StackVersions { config.versions }

    init() throws {
        config = try repositoryConfig()
    }

    private func read(_ relative: String) throws -> String {
        try String(contentsOfFile: config.directory + "/" + relative, encoding: .utf8)
    }

    @Test("versions.yaml holds the pins of kind-stack.md §0")
    func pins() {
        #expect(versions.tools.kind == "v0.32.0")
        #expect(versions.tools.flux == "v2.9.4")
        #expect(versions.flux.version == "v2.9.4")
        #expect(versions.ingressNginx.chart == "4.15.1")
        #expect(versions.flagger.chart == "1.44.0")
        #expect(versions.flagger.loadtesterChart == "0.38.0")
        #expect(versions.apps.podinfoImage == "ghcr.io/stefanprodan/podinfo:6.14.1")
        #expect(versions.apps.redisImage == "docker.io/redis:8.8.0")
    }

    @Test("no pin is 'latest' or unversioned, and the node and ingress images are pinned by digest")
    func noFloatingPins() throws {
        let all = try ["versions.yaml", "cluster.yaml"].map(read).joined()
        #expect(!all.contains(":latest"))
        #expect(!all.contains("/latest/"))
        for image in versions.images {
            let reference = image.split(separator: "@").first.map(String.init) ?? image
            let tag = reference.split(separator: "/").last?.split(separator: ":").dropFirst().first
            #expect(tag != nil && tag != "latest", "\(image) has no version tag")
        }
        for image in [
            versions.cluster.nodeImage, versions.ingressNginx.controllerImage,
            versions.ingressNginx.webhookCertgenImage,
        ] {
            let digest = image.split(separator: "@").dropFirst().first ?? ""
            #expect(digest.hasPrefix("sha256:"), "\(image) is not pinned by digest")
            let hex = digest.dropFirst("sha256:".count)
            #expect(hex.count == 64 && hex.allSatisfy(\.isHexDigit), "\(image) has a malformed digest")
        }
    }

    @Test("the node's Kubernetes is one ingress-nginx v1.15 (1.31-1.35) and Flux 2.9 (>= 1.33) both support")
    func kubernetesVersion() throws {
        #expect(versions.kubernetesVersion == "v1.35.5")
        let parts = versions.kubernetesVersion.dropFirst().split(separator: ".").compactMap { Int($0) }
        let minor = try #require(parts.dropFirst().first)
        #expect((33...35).contains(minor))
    }

    @Test("cluster.yaml is a v1alpha4 Cluster on the pinned image with ports 80, 443 and the registry mapped")
    func clusterConfig() throws {
        let node = try #require(try YAMLParser.parse(try read("cluster.yaml"), file: "cluster.yaml").first?.node)
        #expect(node["kind"]?.scalarValue == "Cluster")
        #expect(node["apiVersion"]?.scalarValue == "kind.x-k8s.io/v1alpha4")
        #expect(node["name"]?.scalarValue == versions.cluster.name)
        let nodes = try #require(node["nodes"]?.items)
        #expect(nodes.count == 1)
        let first = try #require(nodes.first)
        #expect(first["image"]?.scalarValue == versions.cluster.nodeImage)
        let mappings = try #require(first["extraPortMappings"]?.items)
        let pairs = mappings.map { ($0["containerPort"]?.scalarValue ?? "", $0["hostPort"]?.scalarValue ?? "") }
        #expect(pairs.map(\.0) == ["80", "443", "30050"])
        #expect(pairs.map(\.1) == ["80", "443", "5001"])
    }

    @Test("the Helm values pin the same images as versions.yaml")
    func helmValuesAgree() throws {
        let ingress = try #require(
            try YAMLParser.parse(try read("helm/ingress-nginx.values.yaml"), file: "v").first?.node
        )
        let controller = try #require(ingress["controller"])
        let pinned = versions.ingressNginx.controllerImage
        #expect(
            pinned.hasSuffix(
                ":\(controller.find(["image", "tag"])?.scalarValue ?? "?")@\(controller.find(["image", "digest"])?.scalarValue ?? "?")"
            )
        )
        let certgen = versions.ingressNginx.webhookCertgenImage
        let patch = controller.find(["admissionWebhooks", "patch", "image"])
        #expect(certgen.hasSuffix(":\(patch?["tag"]?.scalarValue ?? "?")@\(patch?["digest"]?.scalarValue ?? "?")"))
        #expect(controller.find(["metrics", "enabled"])?.scalarValue == "true")
        #expect(controller.find(["podAnnotations", "prometheus.io/scrape"])?.scalarValue == "true")

        let flagger = try #require(try YAMLParser.parse(try read("helm/flagger.values.yaml"), file: "v").first?.node)
        let flaggerImage =
            "\(flagger.find(["image", "repository"])?.scalarValue ?? ""):\(flagger.find(["image", "tag"])?.scalarValue ?? "")"
        #expect(flaggerImage == versions.flagger.image)
        #expect(flagger["meshProvider"]?.scalarValue == "nginx")
        #expect(flagger.find(["prometheus", "install"])?.scalarValue == "true")
        #expect(flagger.find(["prometheus", "image"])?.scalarValue == versions.flagger.prometheusImage)

        let tester = try #require(try YAMLParser.parse(try read("helm/loadtester.values.yaml"), file: "v").first?.node)
        let testerImage =
            "\(tester.find(["image", "repository"])?.scalarValue ?? ""):\(tester.find(["image", "tag"])?.scalarValue ?? "")"
        #expect(testerImage == versions.flagger.loadtesterImage)
    }

    @Test("the manifests run the images versions.yaml pins")
    func manifestImagesAgree() throws {
        #expect(try read("manifests/podinfo/deployment.yaml").contains("image: \(versions.apps.podinfoImage)\n"))
        #expect(try read("manifests/redis/deployment.yaml").contains("image: \(versions.apps.redisImage)\n"))
        #expect(try read("manifests/registry/deployment.yaml").contains("image: \(versions.apps.registryImage)\n"))
    }

    @Test("a malformed versions.yaml is reported with its file and line")
    func malformed() {
        #expect {
            _ = try StackVersions.parse("tools:\n  kind: v0.32.0\n", file: "versions.yaml")
        } throws: { error in
            guard let error = error as? KindBackendError else { return false }
            return error.code == .invalidConfig && error.message.contains("versions.yaml:")
        }
    }

    @Test("kind-config/ is found from a subdirectory of the repository, or named by the environment")
    func locate() throws {
        let found = try KindConfig.locate(environment: [:], from: repositoryRoot + "/Sources/KindBackend")
        #expect(found.directory == config.directory)
        let named = try KindConfig.locate(environment: [KindConfig.environmentVariable: config.directory], from: "/")
        #expect(named.versions == versions)
        #expect(throws: KindBackendError.self) { try KindConfig.locate(environment: [:], from: "/") }
    }
}
