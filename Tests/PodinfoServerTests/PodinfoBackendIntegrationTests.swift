import CurlHTTP
import Foundation
import TestSupport
import Testing

/// `/echo`'s backend calls (NIO client) against real podinfo backends: the request podinfo's Go client sends, bodies
/// framed by length or by chunks, and the client timeout.
struct PodinfoBackendIntegrationTests {
    @Test func backendsGetGosHeadersAndTheTracingHeaders() async throws {
        let backend = try await PodinfoProcess()
        let podinfo = try await PodinfoProcess(["--backend-url", "\(backend.base)/headers"])
        let response = try await podinfo.send(
            "POST",
            "/echo",
            body: "hello",
            headers: [
                HTTPHeader("X-Request-Id", "req-1"), HTTPHeader("X-B3-Traceid", "abc"), HTTPHeader("X-Other", "no"),
            ]
        )
        #expect(response.status == 200)
        let results = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String])
        let first = try #require(results.first)
        let seen = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: [String]])
        #expect(seen["X-Request-Id"] == ["req-1"])
        #expect(seen["X-B3-Traceid"] == ["abc"])
        #expect(seen["X-Other"] == nil)
        #expect(seen["User-Agent"] == ["Go-http-client/1.1"])
        #expect(seen["X-Api-Version"] == ["6.14.1"])
    }

    @Test func aChunkedBackendAnswerIsReadWhole() async throws {
        let backend = try await PodinfoProcess()
        let podinfo = try await PodinfoProcess(["--backend-url", "\(backend.base)/chunked/0"])
        let response = try await podinfo.send("POST", "/echo", body: "x")
        let results = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String])
        #expect(results == ["{\n  \"delay\": 0\n}"])
    }

    @Test func aSlowBackendFailsAtTheClientTimeout() async throws {
        let backend = try await PodinfoProcess()
        let podinfo = try await PodinfoProcess([
            "--backend-url", "\(backend.base)/chunked/5", "--http-client-timeout", "1s",
        ])
        let response = try await podinfo.send("POST", "/echo", body: "x")
        let results = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String])
        #expect(
            results == [
                "backend \(backend.base)/chunked/5 call failed Post \"\(backend.base)/chunked/5\": read: i/o timeout"
            ]
        )
    }
}
