import ObjectModel
import Testing

@testable import LocalBackend

/// How Ingress objects and canary annotations become nginx configuration.
@Suite struct NginxConfigTests {
    private func ingress(_ name: String, service: String, annotations: [String: String]? = nil) -> Ingress {
        Ingress(
            metadata: ObjectMeta(name: name, namespace: "test", annotations: annotations),
            spec: IngressSpec(
                rules: [
                    IngressRule(
                        host: "app.example.com",
                        paths: [HTTPIngressPath(path: "/", backend: IngressBackend(service: service, port: 9898))]
                    )
                ]
            )
        )
    }

    private func render(canary annotations: [String: String]?) -> String {
        var ingresses = [ingress("podinfo", service: "podinfo")]
        if let annotations {
            ingresses.append(ingress("podinfo-canary", service: "podinfo-canary", annotations: annotations))
        }
        return NginxConfig(
            ingresses: ingresses,
            services: [],
            endpoints: ["test/podinfo": [1001], "test/podinfo-canary": [1002]],
            serviceListeners: [:],
            ingressPort: 8080,
            directory: "/tmp/x",
            accessLogPath: "/tmp/x/access.log",
            runAsRoot: false
        ).render()
    }

    private let prefix = "nginx.ingress.kubernetes.io"

    @Test func aWeightBecomesASplitOnTheRequestID() {
        let config = render(canary: ["\(prefix)/canary": "true", "\(prefix)/canary-weight": "20"])
        #expect(config.contains("split_clients \"${request_id}\""))
        #expect(config.contains("20% canary;"))
        #expect(config.contains("server 127.0.0.1:1002"))
        #expect(config.contains("test-podinfo-canary-9898"))
    }

    @Test(arguments: [("0", false, "primary"), ("100", false, "canary")])
    func edgeWeightsNeedNoSplit(weight: String, split: Bool, constant: String) {
        let config = render(canary: ["\(prefix)/canary": "true", "\(prefix)/canary-weight": weight])
        #expect(config.contains("split_clients") == split)
        #expect(config.contains("::\(constant)\""))
    }

    @Test func headerRoutingHonoursValueAndPattern() {
        let exact = render(canary: [
            "\(prefix)/canary": "true", "\(prefix)/canary-by-header": "X-Canary",
            "\(prefix)/canary-by-header-value": "insider",
        ])
        #expect(exact.contains("map $http_x_canary"))
        #expect(exact.contains("\"insider\" canary;"))
        let pattern = render(canary: [
            "\(prefix)/canary": "true", "\(prefix)/canary-by-header": "X-Canary",
            "\(prefix)/canary-by-header-pattern": "^in.*",
        ])
        #expect(pattern.contains("\"~^in.*\" canary;"))
        let always = render(canary: ["\(prefix)/canary": "true", "\(prefix)/canary-by-header": "X-Canary"])
        #expect(always.contains("\"always\" canary;"))
        #expect(always.contains("\"never\" primary;"))
    }

    @Test func withoutACanaryIngressTrafficGoesStraightToThePrimary() {
        let config = render(canary: nil)
        #expect(!config.contains("split_clients"))
        #expect(config.contains("proxy_pass http://test-podinfo-9898;"))
        #expect(config.contains("server_name app.example.com;"))
        #expect(config.contains(NginxConfig.versionMarker))
    }
}
