import Foundation
import Scenarios

extension ObservedAlert {
    /// What the alert receiver got, as scenarios assert on it: the Slack attachment's text, colour and fields, at
    /// the scenario time it arrived (`wallStart` is the wall-clock moment the scenario clock started).
    public init(received alert: ReceivedAlert, wallStart: Date, clock: ScenarioClock) {
        let payload = (try? JSONSerialization.jsonObject(with: Data(alert.body.utf8))) as? [String: Any] ?? [:]
        let attachment = (payload["attachments"] as? [[String: Any]])?.first ?? [:]
        var fields: [String: String] = [:]
        for field in attachment["fields"] as? [[String: Any]] ?? [] {
            if let title = field["title"] as? String { fields[title] = "\(field["value"] ?? "")" }
        }
        self.init(
            t: clock.scenarioSeconds(real: alert.receivedAt.timeIntervalSince(wallStart)),
            provider: alert.provider,
            channel: payload["channel"] as? String,
            author: alert.target ?? "",
            text: alert.message,
            color: attachment["color"] as? String ?? "",
            fields: fields
        )
    }
}
