import Testing

@testable import LocalBackend

/// Cluster DNS names in webhook URLs and commands resolve to local listeners.
@Suite struct ServiceDirectoryTests {
    private func directory() -> ServiceDirectory {
        let directory = ServiceDirectory()
        directory.setListeners(["test/podinfo-canary:9898": 40001, "test/podinfo:9898": 40002])
        directory.registerBuiltin(namespace: "test", name: "flagger-loadtester", port: 40003)
        directory.setIngress(port: 40004, hosts: ["app.example.com"])
        return directory
    }

    @Test(arguments: [
        ("http://podinfo-canary.test:9898/token", "http://127.0.0.1:40001/token"),
        ("http://podinfo-canary.test.svc.cluster.local:9898/", "http://127.0.0.1:40001/"),
        ("http://podinfo.test.svc:9898", "http://127.0.0.1:40002"),
        ("http://podinfo:9898/x", "http://127.0.0.1:40002/x"),
        ("http://flagger-loadtester.test/", "http://127.0.0.1:40003/"),
        ("http://127.0.0.1:9000/", "http://127.0.0.1:9000/"),
        ("https://hooks.slack.com/services/x", "https://hooks.slack.com/services/x"),
    ])
    func resolvesServiceNames(url: String, expected: String) {
        #expect(directory().resolve(url: url, defaultNamespace: "test") == expected)
    }

    @Test func ingressHostsGoThroughTheIngressWithTheirHostHeader() {
        let route = directory().route(url: "http://app.example.com/api/info", defaultNamespace: "test")
        #expect(route.url == "http://127.0.0.1:40004/api/info")
        #expect(route.host == "app.example.com")
    }

    @Test func urlsInsideCommandsAreRewritten() {
        let command = "curl -s http://podinfo-canary.test:9898/token | grep token"
        #expect(
            directory().resolveURLs(in: command, defaultNamespace: "test")
                == "curl -s http://127.0.0.1:40001/token | grep token"
        )
    }
}
