import YAML

/// `CanaryStatus` (status.go:71-92) as it appears in exported manifests.
public struct CanaryStatus: Codable, Sendable, Hashable {
    public var phase: String?
    public var failedChecks: Int?
    public var canaryWeight: Int?
    public var iterations: Int?
    public var trackedConfigs: [String: String]?
    public var lastAppliedSpec: String?
    public var lastPromotedSpec: String?
    public var lastTransitionTime: String?
    public var conditions: Node?
    public var sessionAffinityCookie: String?
    public var previousSessionAffinityCookie: String?
    public var primarySessionAffinityCookie: String?

    public init() {}
}
