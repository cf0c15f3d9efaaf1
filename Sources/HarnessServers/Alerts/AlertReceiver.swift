import Foundation
import ObjectModel

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
        let shape = ReceivedShape(body)
        let message: String
        switch shape {
        case .slack(let payload): message = payload.attachments?.first?.text ?? ""
        case .msteams(let payload): message = payload.sections.first?.activityTitle ?? ""
        case .gchat(let payload): message = ReceivedShape.plain(payload.cards.first?.sections.first)
        case .generic(let text): message = text ?? String(decoding: body, as: UTF8.self)
        }
        let provider: String
        let target: String?
        switch shape {
        case .slack(let payload): (provider, target) = ("slack", payload.attachments?.first?.authorName)
        case .msteams(let payload): (provider, target) = ("msteams", payload.summary)
        case .gchat(let payload): (provider, target) = ("gchat", payload.cards.first?.header.subtitle)
        case .generic: (provider, target) = ("generic", nil)
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

/// Which notifier's body an alert is, told by its shape (as Flagger's notifiers write them, ObjectModel's types).
enum ReceivedShape {
    case slack(SlackPayload)
    case msteams(TeamsPayload)
    case gchat(GChatPayload)
    case generic(text: String?)

    private struct Generic: Decodable { var text: String? }

    init(_ body: [UInt8]) {
        let data = Data(body)
        let decoder = JSONDecoder()
        if let slack = try? decoder.decode(SlackPayload.self, from: data), !(slack.attachments ?? []).isEmpty {
            self = .slack(slack)
        } else if let teams = try? decoder.decode(TeamsPayload.self, from: data), teams.type == "MessageCard" {
            self = .msteams(teams)
        } else if let chat = try? decoder.decode(GChatPayload.self, from: data), !chat.cards.isEmpty {
            self = .gchat(chat)
        } else {
            self = .generic(text: (try? decoder.decode(Generic.self, from: data))?.text)
        }
    }

    /// A Google Chat section's text without the emphasis markup Flagger wraps it in.
    static func plain(_ section: GChatPayload.Section?) -> String {
        var text = section?.widgets.first?.textParagraph.text ?? ""
        for markup in ["<font color=#848484>", "<strong>", "</strong>", "</font>"] {
            text = text.replacingOccurrences(of: markup, with: "")
        }
        return text
    }
}
