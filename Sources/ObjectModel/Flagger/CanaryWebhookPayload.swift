import Foundation

/// The body of every webhook call Flagger makes (`CanaryWebhookPayload`, flagger pkg/apis/flagger/v1beta1
/// canary.go:464-481; spec/flagger.md §4.1): `{"name","namespace","phase","checksum","metadata"}`, `metadata`
/// omitted when nil. Event hooks send the same shape with `eventMessage`, `eventType` and `timestamp` in `metadata`.
///
/// One type for both ends: the local canary controller encodes it, the local loadtester and the scenario webhook
/// recorder decode it. Decoding is lenient, as those readers need: missing fields read as empty, and `metadata`
/// values that are numbers or booleans read as their text (hand-written `curl` calls to the loadtester send them).
public struct CanaryWebhookPayload: Codable, Sendable, Hashable {
    public var name: String
    public var namespace: String
    public var phase: String
    public var checksum: String
    public var metadata: [String: String]?

    public init(name: String, namespace: String, phase: String, checksum: String, metadata: [String: String]? = nil) {
        self.name = name
        self.namespace = namespace
        self.phase = phase
        self.checksum = checksum
        self.metadata = metadata
    }

    /// The payload of an `event` webhook call (`CallEventWebhook`, webhook.go:118-142): the hook's metadata with
    /// the event's keys set over it.
    public static func event(
        name: String,
        namespace: String,
        phase: String,
        checksum: String,
        hookMetadata: [String: String]?,
        message: String,
        type: String,
        timestamp: Date
    ) -> CanaryWebhookPayload {
        var metadata = hookMetadata ?? [:]
        metadata["eventMessage"] = message
        metadata["eventType"] = type
        metadata["timestamp"] = String(Int64((timestamp.timeIntervalSince1970 * 1000).rounded(.down)))
        return CanaryWebhookPayload(
            name: name,
            namespace: namespace,
            phase: phase,
            checksum: checksum,
            metadata: metadata
        )
    }

    /// The JSON body, keys sorted.
    public var json: String { jsonBody }

    /// Reads a body; `nil` when it is not a JSON object.
    public static func decode(_ body: some Collection<UInt8>) -> CanaryWebhookPayload? {
        try? JSONDecoder().decode(CanaryWebhookPayload.self, from: Data(body))
    }

    enum CodingKeys: String, CodingKey { case name, namespace, phase, checksum, metadata }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = (try? container.decodeIfPresent(String.self, forKey: .name)) ?? ""
        namespace = (try? container.decodeIfPresent(String.self, forKey: .namespace)) ?? ""
        phase = (try? container.decodeIfPresent(String.self, forKey: .phase)) ?? ""
        checksum = (try? container.decodeIfPresent(String.self, forKey: .checksum)) ?? ""
        metadata = (try? container.decodeIfPresent([String: Scalar].self, forKey: .metadata))?.mapValues(\.text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(namespace, forKey: .namespace)
        try container.encode(phase, forKey: .phase)
        try container.encode(checksum, forKey: .checksum)
        try container.encodeIfPresent(metadata, forKey: .metadata)
    }

    /// A JSON scalar read as text.
    private struct Scalar: Decodable {
        var text: String

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let string = try? container.decode(String.self) {
                text = string
            } else if let bool = try? container.decode(Bool.self) {
                text = bool ? "true" : "false"
            } else if let number = try? container.decode(Double.self) {
                text = number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
            } else {
                text = ""
            }
        }
    }
}
