/// Flagger's webhook payload (`CanaryWebhookPayload`, spec/flagger.md §4.1).
public struct WebhookPayload: Codable, Sendable, Hashable {
    public var name: String
    public var namespace: String
    public var phase: String
    public var checksum: String?
    public var metadata: [String: String]?

    public init(
        name: String,
        namespace: String,
        phase: String,
        checksum: String? = nil,
        metadata: [String: String]? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.phase = phase
        self.checksum = checksum
        self.metadata = metadata
    }
}
