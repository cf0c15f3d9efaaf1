import Foundation
import ObjectModel
import Scenarios

extension ObservedAlert {
    /// What the alert receiver got, as scenarios assert on it: the Slack attachment's text, colour and fields, at
    /// the scenario time it arrived (`wallStart` is the wall-clock moment the scenario clock started).
    public init(received alert: ReceivedAlert, wallStart: Date, clock: ScenarioClock) {
        let payload =
            alert.provider == "slack" ? try? JSONDecoder().decode(SlackPayload.self, from: Data(alert.body.utf8)) : nil
        let attachment = payload?.attachments?.first
        var fields: [String: String] = [:]
        for field in attachment?.fields ?? [] { fields[field.title] = field.value }
        self.init(
            t: clock.scenarioSeconds(real: alert.receivedAt.timeIntervalSince(wallStart)),
            provider: alert.provider,
            channel: payload?.channel,
            author: alert.target ?? "",
            text: alert.message,
            color: attachment?.color ?? "",
            fields: fields
        )
    }
}
