import Foundation

/// The bodies Flagger's notifiers post (spec/flagger.md §6), as Codable types: the local canary controller writes
/// them and the harness' alert receiver reads them, so both ends agree on one shape.

/// Slack, and Discord (`<url>/slack`) and Rocket.Chat, which take the same body (flagger pkg/notifier/slack.go
/// `SlackPayload`: `channel`, `username`, `icon_url` and `icon_emoji` always written, `text` omitted when empty).
public struct SlackPayload: Codable, Sendable, Hashable {
    public struct Attachment: Codable, Sendable, Hashable {
        public var color: String
        public var authorName: String
        public var text: String
        public var mrkdwnIn: [String]
        public var fields: [Field]

        public init(color: String, authorName: String, text: String, fields: [Field]) {
            self.color = color
            self.authorName = authorName
            self.text = text
            self.mrkdwnIn = ["text"]
            self.fields = fields
        }

        enum CodingKeys: String, CodingKey {
            case color, text, fields
            case authorName = "author_name"
            case mrkdwnIn = "mrkdwn_in"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            color = try container.decodeIfPresent(String.self, forKey: .color) ?? ""
            authorName = try container.decodeIfPresent(String.self, forKey: .authorName) ?? ""
            text = try container.decodeIfPresent(String.self, forKey: .text) ?? ""
            mrkdwnIn = try container.decodeIfPresent([String].self, forKey: .mrkdwnIn) ?? []
            fields = try container.decodeIfPresent([Field].self, forKey: .fields) ?? []
        }
    }

    public struct Field: Codable, Sendable, Hashable {
        public var title: String
        public var value: String
        public var short: Bool

        public init(title: String, value: String, short: Bool = false) {
            self.title = title
            self.value = value
            self.short = short
        }

        enum CodingKeys: String, CodingKey { case title, value, short }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            title = try container.decodeIfPresent(String.self, forKey: .title) ?? ""
            value = try container.decodeIfPresent(String.self, forKey: .value) ?? ""
            short = try container.decodeIfPresent(Bool.self, forKey: .short) ?? false
        }
    }

    public var channel: String
    public var username: String
    public var iconURL: String
    public var iconEmoji: String
    public var text: String?
    public var attachments: [Attachment]?

    public init(channel: String, username: String, attachments: [Attachment]) {
        self.channel = channel
        self.username = username
        self.iconURL = ""
        self.iconEmoji = ":rocket:"
        self.attachments = attachments
    }

    enum CodingKeys: String, CodingKey {
        case channel, username, text, attachments
        case iconURL = "icon_url"
        case iconEmoji = "icon_emoji"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        channel = try container.decodeIfPresent(String.self, forKey: .channel) ?? ""
        username = try container.decodeIfPresent(String.self, forKey: .username) ?? ""
        iconURL = try container.decodeIfPresent(String.self, forKey: .iconURL) ?? ""
        iconEmoji = try container.decodeIfPresent(String.self, forKey: .iconEmoji) ?? ""
        text = try container.decodeIfPresent(String.self, forKey: .text)
        attachments = try container.decodeIfPresent([Attachment].self, forKey: .attachments)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(channel, forKey: .channel)
        try container.encode(username, forKey: .username)
        try container.encode(iconURL, forKey: .iconURL)
        try container.encode(iconEmoji, forKey: .iconEmoji)
        if let text, !text.isEmpty { try container.encode(text, forKey: .text) }
        if let attachments, !attachments.isEmpty { try container.encode(attachments, forKey: .attachments) }
    }
}

/// MS Teams' MessageCard (flagger pkg/notifier/teams.go).
public struct TeamsPayload: Codable, Sendable, Hashable {
    public struct Section: Codable, Sendable, Hashable {
        public var activityTitle: String
        public var activitySubtitle: String
        public var facts: [Fact]

        public init(activityTitle: String, activitySubtitle: String, facts: [Fact]) {
            self.activityTitle = activityTitle
            self.activitySubtitle = activitySubtitle
            self.facts = facts
        }
    }

    public struct Fact: Codable, Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public var type: String
    public var context: String
    public var themeColor: String
    public var summary: String
    public var sections: [Section]

    public init(themeColor: String, summary: String, sections: [Section]) {
        self.type = "MessageCard"
        self.context = "http://schema.org/extensions"
        self.themeColor = themeColor
        self.summary = summary
        self.sections = sections
    }

    enum CodingKeys: String, CodingKey {
        case themeColor, summary, sections
        case type = "@type"
        case context = "@context"
    }
}

/// Google Chat's card (flagger pkg/notifier/gchat.go): the message in the first section, one section per field.
public struct GChatPayload: Codable, Sendable, Hashable {
    public struct Card: Codable, Sendable, Hashable {
        public var header: Header
        public var sections: [Section]

        public init(header: Header, sections: [Section]) {
            self.header = header
            self.sections = sections
        }
    }

    public struct Header: Codable, Sendable, Hashable {
        public var title: String
        public var subtitle: String
        public var imageUrl: String

        public init(title: String, subtitle: String, imageUrl: String) {
            self.title = title
            self.subtitle = subtitle
            self.imageUrl = imageUrl
        }
    }

    public struct Section: Codable, Sendable, Hashable {
        public var widgets: [Widget]

        public init(text: String) { widgets = [Widget(textParagraph: .init(text: text))] }
    }

    public struct Widget: Codable, Sendable, Hashable {
        public var textParagraph: Text
    }

    public struct Text: Codable, Sendable, Hashable {
        public var text: String
    }

    public var cards: [Card]

    public init(cards: [Card]) { self.cards = cards }
}

extension Encodable {
    /// JSON with sorted keys and unescaped slashes, as the harness writes every body it sends.
    public var jsonBody: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
