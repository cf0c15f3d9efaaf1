import CurlHTTP
import Foundation
import HarnessServers
import KindBackend
import Scenarios
import Testing

/// The kind backend's webhook recorder on real sockets: Flagger's call in, the loadtester's answer out, the call
/// kept. A stand-in loadtester plays flagger-loadtester's gate (403 "Forbidden" while closed) and task endpoints.
@Suite(.serialized) struct WebhookRecorderIntegrationTests {
    static let payload = #"{"name":"podinfo","namespace":"test","phase":"Progressing","checksum":"abc"}"#

    @Test func aCallIsForwardedAnsweredAndRecorded() async throws {
        let loadtester = try await LocalHTTPServer(name: "fake-loadtester", port: try PortAllocator().next()) {
            request in
            switch request.path {
            case "/gate/check": .init(status: 403, body: "Forbidden")
            case "/": request.text.contains("\"podinfo\"") ? .init(status: 202, body: "") : .init(status: 400)
            default: .init(status: 404)
            }
        }
        let recorder = try await WebhookRecorder.start(
            host: "127.0.0.1",
            port: try PortAllocator().next(),
            loadtester: loadtester.url,
            clock: ScenarioClock()
        )
        let artifact = ScenarioArtifact(alertReceiver: nil, webhookRecorder: recorder.url)
        let gate = try #require(
            artifact.recordedURL(
                "http://flagger-loadtester.test/gate/check",
                name: "promotion-gate",
                type: "confirm-promotion",
                recorder: recorder.url
            )
        )
        let load = try #require(
            artifact.recordedURL("http://flagger-loadtester.test/", name: "load-test", type: "", recorder: recorder.url)
        )
        let refused = try await HTTPClient.shared.post(gate, json: Self.payload)
        #expect(refused.status == 403)
        #expect(String(decoding: refused.body, as: UTF8.self) == "Forbidden")
        let accepted = try await HTTPClient.shared.post(load, json: Self.payload)
        #expect(accepted.status == 202)

        let calls = recorder.recorded
        #expect(calls.map(\.name) == ["promotion-gate", "load-test"])
        #expect(calls.map(\.type) == ["confirm-promotion", "rollout"])
        #expect(calls.map(\.status) == [403, 202])
        #expect(calls.allSatisfy { $0.canary == "podinfo" && $0.namespace == "test" && $0.phase == "Progressing" })

        await loadtester.stop()
        // With the loadtester gone Flagger gets a 502 (a failed webhook), and the call is still recorded.
        let lost = try await HTTPClient.shared.post(gate, json: Self.payload)
        #expect(lost.status == 502)
        #expect(recorder.recorded.last?.status == 502)
        await recorder.stop()
    }

    @Test func aPathThatIsNotAHookIsRefused() async throws {
        let recorder = try await WebhookRecorder.start(
            host: "127.0.0.1",
            port: try PortAllocator().next(),
            loadtester: "http://127.0.0.1:1",
            clock: ScenarioClock()
        )
        let response = try await HTTPClient.shared.post(recorder.url + "/gate/check", json: Self.payload)
        #expect(response.status == 404)
        #expect(recorder.recorded.isEmpty)
        await recorder.stop()
    }
}
