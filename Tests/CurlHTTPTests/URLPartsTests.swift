import CurlHTTP
import Testing

/// Every URL the harness takes apart (webhook and alert addresses, `DOCKER_HOST`, OCI sources, Redis and echo
/// backends of podinfo) goes through `URLParts`; a wrong split sends a webhook or an alert to the wrong place.
struct URLPartsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var url: String
        var scheme: String
        var user: String?
        var password: String?
        var host: String
        var port: Int?
        var pathAndQuery: String
        var hostAndPort: String
        var testDescription: String { url }
    }

    @Test(
        arguments: [
            Case(
                url: "http://127.0.0.1:8080/gate/check?x=1",
                scheme: "http",
                host: "127.0.0.1",
                port: 8080,
                pathAndQuery: "/gate/check?x=1",
                hostAndPort: "127.0.0.1:8080"
            ),
            Case(
                url: "https://user@Hooks.Slack.com:443/services/T/B?x",
                scheme: "https",
                user: "user",
                host: "Hooks.Slack.com",
                port: 443,
                pathAndQuery: "/services/T/B?x",
                hostAndPort: "Hooks.Slack.com:443"
            ),
            Case(
                url: "tcp://admin:s3cr:et@redis:6379",
                scheme: "tcp",
                user: "admin",
                password: "s3cr:et",
                host: "redis",
                port: 6379,
                pathAndQuery: "",
                hostAndPort: "redis:6379"
            ),
            Case(
                url: "http://[::1]:9898?delay=1",
                scheme: "http",
                host: "::1",
                port: 9898,
                pathAndQuery: "?delay=1",
                hostAndPort: "[::1]:9898"
            ),
            Case(
                url: "oci://localhost:5001/rollout-e2e/promote:main",
                scheme: "oci",
                host: "localhost",
                port: 5001,
                pathAndQuery: "/rollout-e2e/promote:main",
                hostAndPort: "localhost:5001"
            ),
            Case(
                url: "http://flagger-loadtester.test/",
                scheme: "http",
                host: "flagger-loadtester.test",
                pathAndQuery: "/",
                hostAndPort: "flagger-loadtester.test"
            ),
            Case(
                url: "ssh://@build-host#frag",
                scheme: "ssh",
                host: "build-host",
                pathAndQuery: "#frag",
                hostAndPort: "build-host"
            ),
        ]
    )
    func splits(_ expected: Case) throws {
        let parts = try #require(URLParts(expected.url))
        #expect(parts.scheme == expected.scheme)
        #expect(parts.user == expected.user)
        #expect(parts.password == expected.password)
        #expect(parts.host == expected.host)
        #expect(parts.port == expected.port)
        #expect(parts.pathAndQuery == expected.pathAndQuery)
        #expect(parts.hostAndPort == expected.hostAndPort)
    }

    @Test(
        "no scheme, no host or a port that is not a number is no URL",
        arguments: ["redis:6379", "/just/a/path", "http:///path", "http://host:80x/", "http://host:70000/", ""]
    )
    func rejects(_ url: String) {
        #expect(URLParts(url) == nil)
    }
}
