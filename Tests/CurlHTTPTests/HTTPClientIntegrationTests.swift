import CurlHTTP
import Foundation
import TestSupport
import Testing

/// The client against a real nginx on 127.0.0.1.
@Suite struct HTTPClientIntegrationTests {
    /// One nginx per test: a default server and a second one routed by `Host`.
    static func startNginx() throws -> NginxServer {
        try NginxServer(
            serverBody: """
                location = /hello { add_header X-Served-By primary; return 200 'hello'; }
                location = /fail { return 500 'broken'; }
                location = /missing { return 404; }
                location = /who { return 200 'primary'; }
                location = /connection { return 200 '$connection $connection_requests'; }
                # `return` does not read a request body; proxying does, and then $request_body is set.
                location = /echo {
                    proxy_pass http://127.0.0.1:{port}/reflect;
                    proxy_set_header X-Body $request_body;
                }
                location = /reflect {
                    return 200 "$request_method|$http_content_type|$http_x_canary|$http_x_body";
                }
                """,
            extraHTTP: """
                server {
                    listen 127.0.0.1:{port};
                    server_name canary.example.test;
                    location / { return 200 'canary'; }
                }
                """
        )
    }

    @Test func returnsStatusHeadersAndBody() async throws {
        let nginx = try Self.startNginx()
        defer { nginx.stop() }
        let response = try await HTTPClient.shared.get(nginx.url("/hello"))
        #expect(response.status == 200)
        #expect(response.text == "hello")
        #expect(response.body == Array("hello".utf8))
        #expect(response.header("x-served-by") == "primary")
        #expect(response.header("CONTENT-LENGTH") == "5")
        #expect(response.header("Server")?.hasPrefix("nginx") == true)
        #expect(response.header("X-Absent") == nil)
        #expect(response.latency > .zero && response.latency < .seconds(5))
    }

    @Test func sequentialRequestsReuseTheConnection() async throws {
        let nginx = try Self.startNginx()
        defer { nginx.stop() }
        let client = HTTPClient()
        defer { client.shutdown() }
        var seen: [String] = []
        for _ in 0..<3 { seen.append(try await client.get(nginx.url("/connection")).text) }
        // nginx's "$connection $connection_requests": one connection serial, request numbers 1, 2, 3.
        let connections = Set(seen.map { $0.split(separator: " ").first ?? "" })
        #expect(connections.count == 1)
        #expect(seen.map { $0.split(separator: " ").last ?? "" } == ["1", "2", "3"])
    }

    @Test func errorStatusesAreResponsesNotErrors() async throws {
        let nginx = try Self.startNginx()
        defer { nginx.stop() }
        let failed = try await HTTPClient.shared.get(nginx.url("/fail"))
        #expect(failed.status == 500)
        #expect(failed.text == "broken")
        let missing = try await HTTPClient.shared.get(nginx.url("/missing"))
        #expect(missing.status == 404)
    }

    @Test func hostOverrideRoutesByName() async throws {
        let nginx = try Self.startNginx()
        defer { nginx.stop() }
        let routed = try await HTTPClient.shared.get(nginx.url("/who"), host: "canary.example.test")
        #expect(routed.text == "canary")
        let unrouted = try await HTTPClient.shared.get(nginx.url("/who"))
        #expect(unrouted.text == "primary")
    }

    @Test func postSendsJSONBodyAndHeaders() async throws {
        let nginx = try Self.startNginx()
        defer { nginx.stop() }
        let response = try await HTTPClient.shared.post(
            nginx.url("/echo"),
            json: #"{"weight":20}"#,
            headers: [HTTPHeader("X-Canary", "always")]
        )
        #expect(response.status == 200)
        #expect(response.text == #"POST|application/json|always|{"weight":20}"#)
    }

    @Test(arguments: ["PUT", "DELETE", "PATCH"])
    func otherMethodsCarryTheirBody(method: String) async throws {
        let nginx = try Self.startNginx()
        defer { nginx.stop() }
        let request = HTTPRequest(
            method: method,
            url: nginx.url("/echo"),
            headers: [HTTPHeader("Content-Type", "text/plain")],
            body: Array("payload-\(method)".utf8)
        )
        let response = try await HTTPClient.shared.send(request)
        #expect(response.text == "\(method)|text/plain||payload-\(method)")
    }

    @Test func timeoutIsAnErrorNamingTheURL() async throws {
        let silent = try SilentListener()
        let clock = ContinuousClock()
        let started = clock.now
        let error = await #expect(throws: HTTPClientError.self) {
            _ = try await HTTPClient.shared.get(silent.url, timeout: .milliseconds(300))
        }
        let waited = clock.now - started
        #expect(error?.code == .timedOut)
        #expect(error?.description.contains(silent.url) == true)
        #expect(waited >= .milliseconds(250) && waited < .seconds(5))
    }

    @Test func connectionRefusedIsAnError() async throws {
        let port = try freePort()
        let url = "http://127.0.0.1:\(port)/"
        let error = await #expect(throws: HTTPClientError.self) {
            _ = try await HTTPClient.shared.get(url)
        }
        #expect(error?.code == .connectFailed)
        #expect(error?.message.contains(url) == true)
        #expect(error?.message.contains("refused") == true, "\(String(describing: error))")
    }

    @Test func malformedURLIsAnInvalidRequest() async throws {
        let error = await #expect(throws: HTTPClientError.self) {
            _ = try await HTTPClient.shared.get("nope://127.0.0.1/")
        }
        #expect(error?.code == .invalidRequest)
    }

    @Test func manyConcurrentSendsAllComplete() async throws {
        let nginx = try Self.startNginx()
        defer { nginx.stop() }
        let url = nginx.url("/hello")
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<200 { group.addTask { try await HTTPClient.shared.get(url).status } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.count == 200)
        #expect(statuses.allSatisfy { $0 == 200 })
    }

    @Test func pendingRequestsDoNotBlockOtherCallers() async throws {
        let nginx = try Self.startNginx()
        defer { nginx.stop() }
        let silent = try SilentListener()
        let client = HTTPClient()
        defer { client.shutdown() }
        // 50 requests that hang until their 20 s timeout: each one would hold a thread if sends blocked.
        let hanging = Task {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<50 {
                    group.addTask { _ = try? await client.get(silent.url, timeout: .seconds(20)) }
                }
            }
        }
        defer { hanging.cancel() }
        let clock = ContinuousClock()
        let started = clock.now
        let response = try await client.get(nginx.url("/hello"))
        #expect(response.status == 200)
        #expect(clock.now - started < .seconds(5))
    }

    @Test func cancellingTheTaskAbortsTheRequest() async throws {
        let silent = try SilentListener()
        let clock = ContinuousClock()
        let started = clock.now
        let task = Task { try await HTTPClient.shared.get(silent.url, timeout: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        #expect(clock.now - started < .seconds(10))
    }

    @Test func shutdownFailsPendingRequestsAndTheClientRestarts() async throws {
        let nginx = try Self.startNginx()
        defer { nginx.stop() }
        let silent = try SilentListener()
        let client = HTTPClient()
        let pending = Task { try await client.get(silent.url, timeout: .seconds(30)) }
        // Wait until the request reached the transfer thread: a request behind it then completes.
        #expect(try await client.get(nginx.url("/hello")).status == 200)
        client.shutdown()
        let error = await #expect(throws: HTTPClientError.self) { _ = try await pending.value }
        #expect(error?.code == .shutdown)
        #expect(try await client.get(nginx.url("/hello")).text == "hello")
        client.shutdown()
    }
}
