import YAML

/// `spec.analysis` (canary.go:258-317): how the canary is stepped and what is checked at each step.
public struct CanaryAnalysis: Codable, Sendable, Hashable {
    /// Go duration matching `^[0-9]+(m|s)`; see ``analysisInterval`` for Flagger's default and floor.
    public var interval: String?
    public var iterations: Int?
    public var mirror: Bool?
    public var mirrorWeight: Int?
    public var maxWeight: Int?
    public var stepWeight: Int?
    public var stepWeights: [Int]?
    public var stepWeightPromotion: Int?
    public var threshold: Int?
    public var primaryReadyThreshold: Int?
    public var canaryReadyThreshold: Int?
    public var alerts: [CanaryAlert]?
    public var metrics: [CanaryMetric]?
    public var webhooks: [CanaryWebhook]?
    public var match: [HTTPMatchRequest]?
    public var sessionAffinity: Node?

    public init(
        interval: String? = "1m",
        threshold: Int? = 5,
        maxWeight: Int? = nil,
        stepWeight: Int? = nil,
        stepWeights: [Int]? = nil,
        iterations: Int? = nil,
        stepWeightPromotion: Int? = nil,
        match: [HTTPMatchRequest]? = nil,
        metrics: [CanaryMetric]? = nil,
        webhooks: [CanaryWebhook]? = nil,
        alerts: [CanaryAlert]? = nil
    ) {
        self.interval = interval
        self.threshold = threshold
        self.maxWeight = maxWeight
        self.stepWeight = stepWeight
        self.stepWeights = stepWeights
        self.iterations = iterations
        self.stepWeightPromotion = stepWeightPromotion
        self.match = match
        self.metrics = metrics
        self.webhooks = webhooks
        self.alerts = alerts
    }
}
