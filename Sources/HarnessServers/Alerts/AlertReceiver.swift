import Foundation

/// One notification an AlertProvider sent.
public struct ReceivedAlert: Sendable, Hashable {
    /// `slack`, `msteams`, `gchat` or `generic`, from the payload's shape.
    public var provider: String
    public var path: String
    /// The alert text (Slack attachment text, Teams activity title, …).
    public var message: String
    /// `podinfo.test` (Slack author_name, Teams summary).
    public var target: String?
    public var body: String
    public var receivedAt: Date
}

/// Accepts Slack, Discord (`…/slack`), MS Teams and Google Chat payloads on any path and keeps them for assertions.
public actor AlertReceiver {
    private var server: LocalHTTPServer?
    public private(set) var alerts: [ReceivedAlert] = []

    public init() {}

    /// Listens on `host`:`port` (the kind backend passes the address where the cluster reaches the host).
    public func start(port: Int, host: String = "127.0.0.1") async throws {
        server = try await LocalHTTPServer(name: "alert-receiver", port: port, host: host) { [weak self] request in
            guard let self else { return .init(status: 503) }
            guard request.method == "POST" else { return .init(status: 405) }
            await self.record(path: request.path, body: request.body)
            return .init(status: 200, body: "ok")
        }
    }

    public func stop() async {
        await server?.stop()
        server = nil
    }

    public var url: String? { server?.url }

    public func clear() { alerts = [] }

    private func record(path: String, body: [UInt8]) {
        let json = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
        var provider = "generic"
        var message = ""
        var target: String?
        if let attachments = json["attachments"] as? [[String: Any]], let first = attachments.first {
            provider = "slack"
            message = first["text"] as? String ?? ""
            target = first["author_name"] as? String
        } else if json["@type"] as? String == "MessageCard" {
            provider = "msteams"
            let section = (json["sections"] as? [[String: Any]])?.first
            message = section?["activityTitle"] as? String ?? ""
            target = json["summary"] as? String
        } else if let cards = json["cards"] as? [[String: Any]] {
            provider = "gchat"
            target = (cards.first?["header"] as? [String: Any])?["subtitle"] as? String
            message = String(decoding: body, as: UTF8.self)
        } else {
            message = json["text"] as? String ?? String(decoding: body, as: UTF8.self)
        }
        alerts.append(
            ReceivedAlert(
                provider: provider,
                path: path,
                message: message,
                target: target,
                body: String(decoding: body, as: UTF8.self),
                receivedAt: Date()
            )
        )
    }
}
