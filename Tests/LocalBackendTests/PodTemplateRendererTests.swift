import ObjectModel
import Testing
import YAML

@testable import LocalBackend

/// The cluster's Redis in a pod template becomes the stack's, in the syntax the template wrote: the podinfo version
/// decides which syntax it can dial (spec/podinfo.md §12), so the renderer must not repair a wrong one.
struct PodTemplateRendererTests {
    static let renderer = PodTemplateRenderer(
        podinfoPath: "/bin/podinfo",
        port: 5000,
        podName: "podinfo-abc",
        namespace: "test",
        dataDirectory: "/tmp/data",
        cacheServerURL: "tcp://127.0.0.1:6000",
        configMaps: [:],
        secrets: [:],
        directory: ServiceDirectory()
    )

    static func container(_ yaml: String) throws -> Container {
        let node = try #require(try YAMLParser.parse(yaml, file: "c.yaml").first?.node)
        return try YAMLDecoder(file: "c.yaml").decode(Container.self, from: node)
    }

    @Test(arguments: [
        ("cache.apps:6379", "127.0.0.1:6000"),
        ("tcp://cache.apps:6379", "tcp://127.0.0.1:6000"),
        ("tcp://user:secret@cache:6379", "tcp://127.0.0.1:6000"),
        ("cache", "cache"),
        ("", ""),
    ])
    func theCacheServerKeepsItsSyntax(value: String, local: String) throws {
        let flag = try Self.container(
            """
            name: podinfod
            image: ghcr.io/stefanprodan/podinfo:6.0.0
            command: [./podinfo, --port=9898, "--cache-server=\(value)"]
            """
        )
        #expect(
            Self.renderer.arguments(for: flag).filter { $0.hasPrefix("--cache-server") } == ["--cache-server=\(local)"]
        )
        let env = try Self.container(
            """
            name: podinfod
            image: ghcr.io/stefanprodan/podinfo:6.0.0
            command: [./podinfo, --port=9898]
            env: [{name: PODINFO_CACHE_SERVER, value: "\(value)"}]
            """
        )
        #expect(Self.renderer.environment(for: env)["PODINFO_CACHE_SERVER"] == local)
    }

    @Test func aTemplateWithoutACacheServerGetsNone() throws {
        let container = try Self.container(
            """
            name: podinfod
            image: ghcr.io/stefanprodan/podinfo:6.0.0
            command: [./podinfo, --port=9898]
            """
        )
        #expect(!Self.renderer.arguments(for: container).contains { $0.hasPrefix("--cache-server") })
        #expect(Self.renderer.environment(for: container)["PODINFO_CACHE_SERVER"] == nil)
    }
}
