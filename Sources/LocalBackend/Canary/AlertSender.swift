import CanaryEngine
import CurlHTTP
import Foundation
import ObjectModel

/// Sends a Canary's alerts to its AlertProviders in the payload shapes Flagger's notifiers use (spec/flagger.md §6):
/// Slack (and Rocket, Discord at `<url>/slack`), MS Teams, Google Chat.
struct AlertSender: Sendable {
    var directory: ServiceDirectory

    func send(
        _ alert: CanaryAlertMessage,
        canary: Canary,
        providers: [AlertProvider],
        secrets: [String: [String: String]]
    )
        async
    {
        for provider in providers {
            let namespace = provider.metadata.namespace ?? canary.namespace
            var address = provider.spec.address
            if let secret = provider.spec.secretRef?.name, let values = secrets["\(namespace)/\(secret)"] {
                address = values["address"] ?? address
            }
            guard var url = address, !url.isEmpty else { continue }
            if provider.spec.type == "discord" { url += "/slack" }
            url = destination(url, namespace: namespace)
            let body = payload(alert, canary: canary, provider: provider)
            _ = try? await HTTPClient.shared.post(url, json: body, timeout: .seconds(5))
        }
    }

    /// Where an alert for `address` goes: a cluster Service name to its local listener; an address off this machine
    /// (the real Slack webhook a user's manifests name) to the stack's alert receiver, path kept, so the harness never
    /// posts outside and scenarios can assert on every alert.
    func destination(_ address: String, namespace: String) -> String {
        let resolved = directory.resolve(url: address, defaultNamespace: namespace)
        guard let parts = URLParts(resolved), parts.host != "127.0.0.1", parts.host != "localhost",
            let receiver = directory.port(service: "alert-receiver", namespace: namespace, port: nil)
        else { return resolved }
        return "http://127.0.0.1:\(receiver)\(parts.pathAndQuery)"
    }

    func payload(_ alert: CanaryAlertMessage, canary: Canary, provider: AlertProvider) -> String {
        let id = "\(canary.name).\(canary.namespace)"
        let isError = alert.severity == .error
        switch provider.spec.type {
        case "msteams":
            let facts = alert.fields.map { TeamsPayload.Fact(name: $0.title, value: $0.value) }
            return TeamsPayload(
                themeColor: isError ? "FF0000" : "0076D7",
                summary: id,
                sections: [.init(activityTitle: alert.message, activitySubtitle: id, facts: facts)]
            )
            .jsonBody
        case "gchat":
            let emphasis = { (text: String) in "<font color=#848484><strong>" + text + "</strong></font>" }
            let sections =
                [GChatPayload.Section(text: emphasis(alert.message))]
                + alert.fields.map { GChatPayload.Section(text: $0.title + "<br>" + emphasis($0.value)) }
            let header = GChatPayload.Header(
                title: "Flagger",
                subtitle: id,
                imageUrl: "https://flagger.app/favicon.png"
            )
            return GChatPayload(cards: [.init(header: header, sections: sections)]).jsonBody
        default:
            let color =
                provider.spec.type == "rocket"
                ? (isError ? "#FF0000" : "#0076D7") : (isError ? "danger" : "good")
            let attachment = SlackPayload.Attachment(
                color: color,
                authorName: id,
                text: alert.message,
                fields: alert.fields.map { SlackPayload.Field(title: $0.title, value: $0.value) }
            )
            return SlackPayload(
                channel: provider.spec.effectiveChannel,
                username: provider.spec.effectiveUsername,
                attachments: [attachment]
            )
            .jsonBody
        }
    }
}
