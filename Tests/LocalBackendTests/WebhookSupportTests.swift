import CanaryEngine
import CurlHTTP
import ObjectModel
import Testing
import YAML

@testable import LocalBackend

/// `hey` commands, podinfo command lines and time-scaled query windows.
@Suite struct WebhookSupportTests {
    @Test func heyFlagsBecomeAnOpenLoopLoadSpec() throws {
        let hey = try #require(HeyCommand("hey -z 1m -q 10 -c 2 -H 'X-Canary: always' http://app.example.com/"))
        #expect(hey.url == "http://app.example.com/")
        #expect(hey.headers == [HTTPHeader("X-Canary", "always")])
        let spec = hey.spec(resolvedURL: "http://127.0.0.1:1/", timeScale: 0.1)
        guard case .rate(let rate, let inFlight) = spec.mode else {
            Issue.record("expected a rate mode, got \(spec.mode)")
            return
        }
        #expect(rate == 20)
        #expect(inFlight == 2)
        guard case .duration(let duration) = spec.limit else {
            Issue.record("expected a duration limit")
            return
        }
        #expect(duration == .seconds(6))
        #expect(HeyCommand("curl http://x/") == nil)
    }

    @Test func podinfoFlagsKeepTheUsersAndReplaceThePorts() throws {
        let renderer = PodTemplateRenderer(
            podinfoPath: "/bin/podinfo",
            port: 5000,
            podName: "podinfo-abc",
            namespace: "test",
            dataDirectory: "/tmp/data",
            cacheServerURL: "tcp://127.0.0.1:6000",
            configMaps: ["test/settings": ["color": "#ff0000"]],
            secrets: [:],
            directory: ServiceDirectory()
        )
        let text = """
            name: podinfod
            image: ghcr.io/stefanprodan/podinfo:6.1.0
            command: [./podinfo, --port=9898, --port-metrics, "9797", --level=debug, --cache-server=tcp://redis:6379]
            env:
              - {name: PODINFO_UI_COLOR, valueFrom: {configMapKeyRef: {name: settings, key: color}}}
            """
        let node = try #require(try YAMLParser.parse(text, file: "c.yaml").first?.node)
        let container = try YAMLDecoder(file: "c.yaml").decode(Container.self, from: node)
        let arguments = renderer.arguments(for: container)
        #expect(arguments.contains("--level=debug"))
        #expect(arguments.contains("--port=5000"))
        #expect(arguments.contains("--cache-server=tcp://127.0.0.1:6000"))
        #expect(!arguments.contains("--port=9898"))
        #expect(!arguments.contains("9797"))
        let environment = renderer.environment(for: container)
        #expect(environment["PODINFO_UI_COLOR"] == "#ff0000")
        #expect(environment["PODINFO_IMAGE"] == "ghcr.io/stefanprodan/podinfo:6.1.0")
    }

    @Test(arguments: [("1m", 0.1, "6s"), ("30s", 0.1, "3s"), ("10s", 0.25, "2500ms"), ("2m", 1.0, "120s")])
    func metricWindowsScaleWithTime(window: String, scale: Double, expected: String) throws {
        let canary = try Self.canary()
        let inputs = LiveTickInputs(
            revision: "r",
            trackedConfigs: nil,
            primaryReadiness: .ready,
            canaryReadiness: .ready,
            canary: canary,
            services: ServiceDirectory(),
            prometheus: PrometheusClient(address: "http://127.0.0.1:1"),
            timeScale: scale,
            templates: [:]
        )
        #expect(inputs.scaled(window) == expected)
    }

    /// Webhook timeouts shrink with the clock but not below a second (or the hook's own, when shorter): the
    /// answer's latency is fixed.
    @Test(arguments: [
        (10.0, 1.0, 10_000), (10.0, 0.5, 5000), (5.0, 0.05, 1000), (5.0, 0.02, 1000), (60.0, 0.05, 3000),
        (0.5, 0.05, 500),
    ])
    func webhookTimeoutsScaleDownToAFloor(seconds: Double, scale: Double, milliseconds: Int) {
        #expect(LiveTickInputs.timeout(seconds, timeScale: scale) == .milliseconds(milliseconds))
    }

    static func canary() throws -> Canary {
        let text = """
            apiVersion: flagger.app/v1beta1
            kind: Canary
            metadata: {name: podinfo, namespace: test}
            spec:
              targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
              ingressRef: {apiVersion: networking.k8s.io/v1, kind: Ingress, name: podinfo}
              service: {port: 9898}
              analysis: {interval: 10s, threshold: 2, maxWeight: 50, stepWeight: 10}
            """
        let loaded = ManifestLoader.load(text, file: "canary.yaml")
        return try #require(loaded.objects.first?.object as? Canary)
    }
}
