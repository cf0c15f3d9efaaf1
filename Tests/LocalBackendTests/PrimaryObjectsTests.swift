import CanaryEngine
import ObjectModel
import Testing
import YAML

@testable import LocalBackend

/// What the canary controller derives from a Canary's target: primary, Services, canary Ingress.
@Suite struct PrimaryObjectsTests {
    private func target() throws -> Deployment {
        let text = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: podinfo, namespace: test}
            spec:
              replicas: 3
              selector: {matchLabels: {app: podinfo}}
              template:
                metadata: {labels: {app: podinfo}}
                spec:
                  containers:
                  - name: podinfod
                    image: ghcr.io/stefanprodan/podinfo:6.0.0
                    env:
                    - {name: COLOR, valueFrom: {configMapKeyRef: {name: settings, key: color}}}
                    envFrom:
                    - secretRef: {name: tokens}
            """
        let loaded = ManifestLoader.load(text, file: "deployment.yaml")
        return try #require(loaded.objects.first?.object as? Deployment)
    }

    @Test func thePrimarySelectsItsOwnPodsAndUsesPrimaryConfigCopies() throws {
        let primary = PrimaryObjects.primary(of: try target(), replicas: 3)
        #expect(primary.metadata.name == "podinfo-primary")
        #expect(primary.spec.selector.matchLabels == ["app": "podinfo-primary"])
        #expect(primary.spec.template.metadata?.labels?["app"] == "podinfo-primary")
        let container = try #require(primary.spec.template.spec.containers.first)
        #expect(container.env?.first?.valueFrom?.find(["configMapKeyRef", "name"])?.scalarValue == "settings-primary")
        #expect(container.envFrom?[0]?.find(["secretRef", "name"])?.scalarValue == "tokens-primary")
        let references = PrimaryObjects.configReferences(of: try target().spec.template)
        #expect(references.map(\.name) == ["settings", "tokens"])
    }

    @Test func theCanaryIngressPointsAtTheCanaryServiceWithRouterAnnotations() throws {
        let canary = try WebhookSupportTests.canary()
        let ingress = Ingress(
            metadata: ObjectMeta(name: "podinfo", namespace: "test", annotations: ["team": "a"]),
            spec: IngressSpec(
                rules: [
                    IngressRule(
                        host: "app.example.com",
                        paths: [HTTPIngressPath(path: "/", backend: IngressBackend(service: "podinfo", port: 9898))]
                    )
                ]
            )
        )
        let routes = NginxRouter.setRoutes(NginxRouter.reconcile(NginxRoutes()), canaryWeight: 30, match: [])
        let copy = ingress.canaryIngress(for: canary, routes: routes)
        #expect(copy.metadata.name == "podinfo-canary")
        #expect(copy.spec.rules?.first?.http?.paths.first?.backend.service?.name == "podinfo-canary")
        let annotations = NginxCanaryAnnotations(copy.metadata.annotations ?? [:])
        #expect(annotations.isCanary)
        #expect(annotations.weight == 30)
        #expect(copy.metadata.annotations?["team"] == "a")
        let services = PrimaryObjects.services(for: canary, target: try target())
        #expect(services.map(\.metadata.name) == ["podinfo", "podinfo-primary", "podinfo-canary"])
        #expect(services.map { $0.spec.selector?["app"] } == ["podinfo-primary", "podinfo-primary", "podinfo"])
    }
}
