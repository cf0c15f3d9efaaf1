/// A Kubernetes event Flagger records on the Canary, with Flagger's exact message text.
public struct CanaryEvent: Sendable, Hashable {
    /// `Normal` or `Warning` (Flagger's error events are Warning events too).
    public enum Kind: String, Sendable, Hashable {
        case normal = "Normal"
        case warning = "Warning"
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}
