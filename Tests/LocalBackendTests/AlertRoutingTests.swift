import CanaryEngine
import CurlHTTP
import HarnessServers
import ObjectModel
import Testing

@testable import LocalBackend

/// Alerts never leave the machine: outside addresses go to the stack's alert receiver, cluster names resolve.
@Suite struct AlertRoutingTests {
    private func sender() -> AlertSender {
        let directory = ServiceDirectory()
        directory.registerBuiltin(namespace: "*", name: "alert-receiver", port: 40010)
        directory.registerBuiltin(namespace: "monitoring", name: "slack-proxy", port: 40011)
        return AlertSender(directory: directory)
    }

    @Test(arguments: [
        ("https://hooks.slack.com/services/T000/B000/XXXX", "http://127.0.0.1:40010/services/T000/B000/XXXX"),
        ("https://discord.com/api/webhooks/1/x/slack", "http://127.0.0.1:40010/api/webhooks/1/x/slack"),
        ("http://alert-receiver.test/hook", "http://127.0.0.1:40010/hook"),
        ("http://slack-proxy.monitoring/", "http://127.0.0.1:40011/"),
        ("http://127.0.0.1:9000/mine", "http://127.0.0.1:9000/mine"),
    ])
    func addressesResolveToLocalReceivers(address: String, expected: String) {
        #expect(sender().destination(address, namespace: "test") == expected)
    }
}

/// The bodies Flagger's notifiers post (flagger pkg/notifier slack.go, teams.go, gchat.go; spec/flagger.md §6),
/// byte for byte up to key order, and what the harness' receiver reads back from them.
@Suite struct AlertPayloadTests {
    private let canary = Canary(
        metadata: ObjectMeta(name: "podinfo", namespace: "test"),
        spec: CanarySpec(
            provider: "nginx",
            targetRef: CanaryTargetReference(apiVersion: "apps/v1", kind: "Deployment", name: "podinfo")
        )
    )
    private let alert = CanaryAlertMessage(
        severity: .error,
        message: "Failed checks threshold reached 5",
        fields: [.init("Target", "Deployment/podinfo.test"), .init("Failed checks threshold", "5")]
    )

    func body(_ type: String, channel: String? = nil) -> String {
        let provider = AlertProvider(
            metadata: ObjectMeta(name: "on-call", namespace: "test"),
            spec: AlertProviderSpec(type: type, address: "https://example.invalid/hook", channel: channel)
        )
        return AlertSender(directory: ServiceDirectory()).payload(alert, canary: canary, provider: provider)
    }

    @Test func slackHasFlaggersFieldsAndNoTopLevelText() {
        #expect(
            body("slack", channel: "alerts") == ##"{"attachments":[{"author_name":"podinfo.test","color":"danger","##
                + ##""fields":[{"short":false,"title":"Target","value":"Deployment/podinfo.test"},"##
                + ##"{"short":false,"title":"Failed checks threshold","value":"5"}],"mrkdwn_in":["text"],"##
                + ##""text":"Failed checks threshold reached 5"}],"channel":"alerts","icon_emoji":":rocket:","##
                + ##""icon_url":"","username":"flagger"}"##
        )
        #expect(body("rocket").contains(##""color":"#FF0000""##))
    }

    @Test func teamsAndGoogleChatHaveTheirCards() {
        #expect(
            body("msteams") == ##"{"@context":"http://schema.org/extensions","@type":"MessageCard","##
                + ##""sections":[{"activitySubtitle":"podinfo.test","activityTitle":"Failed checks threshold reached 5","##
                + ##""facts":[{"name":"Target","value":"Deployment/podinfo.test"},"##
                + ##"{"name":"Failed checks threshold","value":"5"}]}],"summary":"podinfo.test","themeColor":"FF0000"}"##
        )
        let chat = body("gchat")
        #expect(
            chat == ##"{"cards":[{"header":{"imageUrl":"https://flagger.app/favicon.png","subtitle":"podinfo.test","##
                + ##""title":"Flagger"},"sections":["##
                + ##"{"widgets":[{"textParagraph":{"text":"<font color=#848484><strong>Failed checks threshold "##
                + ##"reached 5</strong></font>"}}]},"##
                + ##"{"widgets":[{"textParagraph":{"text":"Target<br><font color=#848484><strong>"##
                + ##"Deployment/podinfo.test</strong></font>"}}]},"##
                + ##"{"widgets":[{"textParagraph":{"text":"Failed checks threshold<br><font color=#848484><strong>5"##
                + ##"</strong></font>"}}]}]}]}"##
        )
    }
}

/// The harness' alert receiver (a real listener) reads every notifier's body back.
@Suite struct AlertReceiverIntegrationTests {
    @Test func theReceiverReadsEachShape() async throws {
        let receiver = AlertReceiver()
        let port = try PortAllocator().next()
        try await receiver.start(port: port)
        for type in ["slack", "msteams", "gchat"] {
            _ = try await HTTPClient.shared.post(
                "http://127.0.0.1:\(port)/\(type)",
                json: AlertPayloadTests().body(type)
            )
        }
        _ = try await HTTPClient.shared.post("http://127.0.0.1:\(port)/other", json: ##"{"text":"hello"}"##)
        let alerts = await receiver.alerts
        await receiver.stop()
        #expect(alerts.map(\.provider) == ["slack", "msteams", "gchat", "generic"])
        #expect(alerts.map(\.message).prefix(3).allSatisfy { $0 == "Failed checks threshold reached 5" })
        #expect(alerts.map(\.target).prefix(3).allSatisfy { $0 == "podinfo.test" })
        #expect(alerts.last?.message == "hello")
    }
}
