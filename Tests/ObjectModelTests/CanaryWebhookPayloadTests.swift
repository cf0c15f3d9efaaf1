import Foundation
import ObjectModel
import Testing

/// Flagger's webhook body (spec/flagger.md §4.1, U18): exactly name/namespace/phase/checksum/metadata.
struct CanaryWebhookPayloadTests {
    private func object(_ json: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test func theBodyHasFlaggersKeysAndOmitsNilMetadata() throws {
        let plain = CanaryWebhookPayload(name: "podinfo", namespace: "test", phase: "Progressing", checksum: "abc")
        #expect(plain.json == #"{"checksum":"abc","name":"podinfo","namespace":"test","phase":"Progressing"}"#)
        let withMetadata = CanaryWebhookPayload(
            name: "podinfo",
            namespace: "test",
            phase: "Progressing",
            checksum: "abc",
            metadata: ["type": "cmd", "cmd": "hey -z 1m http://podinfo-canary.test:9898/"]
        )
        let decoded = try object(withMetadata.json)
        #expect(Set(decoded.keys) == ["name", "namespace", "phase", "checksum", "metadata"])
        #expect((decoded["metadata"] as? [String: String])?["cmd"] == "hey -z 1m http://podinfo-canary.test:9898/")
    }

    @Test func anEventPayloadCarriesTheEventOverTheHooksMetadata() throws {
        let payload = CanaryWebhookPayload.event(
            name: "podinfo",
            namespace: "test",
            phase: "Progressing",
            checksum: "abc",
            hookMetadata: ["team": "web", "eventType": "mine"],
            message: "Advance podinfo.test canary weight 10",
            type: "Normal",
            timestamp: Date(timeIntervalSince1970: 1_700_000_000.1234)
        )
        let metadata = try #require(try object(payload.json)["metadata"] as? [String: String])
        #expect(
            metadata == [
                "team": "web", "eventType": "Normal", "eventMessage": "Advance podinfo.test canary weight 10",
                "timestamp": "1700000000123",
            ]
        )
    }

    @Test func readingIsLenientAboutMissingFieldsAndScalarMetadata() throws {
        let read = try #require(
            CanaryWebhookPayload.decode(Array(#"{"name":"podinfo","metadata":{"cmd":"x","retries":3,"on":true}}"#.utf8))
        )
        #expect(read.name == "podinfo" && read.namespace == "" && read.phase == "")
        #expect(read.metadata == ["cmd": "x", "retries": "3", "on": "true"])
        #expect(CanaryWebhookPayload.decode(Array("not json".utf8)) == nil)
        // What we write reads back the same.
        let written = CanaryWebhookPayload(
            name: "a",
            namespace: "b",
            phase: "Failed",
            checksum: "c",
            metadata: ["k": "v"]
        )
        #expect(CanaryWebhookPayload.decode(Array(written.json.utf8)) == written)
    }
}
