import YAML

/// `analysis.webhooks[]` (spec/flagger.md §4). Success is an HTTP status ≤ 202.
public struct CanaryWebhook: Codable, Sendable, Hashable {
    public var name: String
    /// One of ``CanaryWebhookType``; empty means `rollout`.
    public var type: String?
    public var url: String
    public var timeout: String?
    public var retries: Int?
    public var muteAlert: Bool?
    public var disableTLS: Bool?
    public var metadata: [String: String]?

    public init(name: String, type: CanaryWebhookType = .rollout, url: String, metadata: [String: String]? = nil) {
        self.name = name
        self.type = type.rawValue
        self.url = url
        self.metadata = metadata
    }

    /// The hook's type with Flagger's default (`""` ≡ `rollout`, scheduler.go:755); `nil` when the type is unknown.
    public var hookType: CanaryWebhookType? {
        guard let type, !type.isEmpty else { return .rollout }
        return CanaryWebhookType(rawValue: type)
    }
}

/// When Flagger calls a webhook and what its failure means (spec/flagger.md §4.1).
public enum CanaryWebhookType: String, Sendable, Hashable, CaseIterable, Codable {
    case confirmRollout = "confirm-rollout"
    case preRollout = "pre-rollout"
    case rollout
    case confirmTrafficIncrease = "confirm-traffic-increase"
    case confirmPromotion = "confirm-promotion"
    case postRollout = "post-rollout"
    case event
    case rollback
}
