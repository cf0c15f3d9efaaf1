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
