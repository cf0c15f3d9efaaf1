import ObjectModel

/// Fixed inputs: results by webhook and metric name. Omitted webhooks answer 200 (a `rollback` hook 403,
/// "no rollback"); omitted metrics pass. This is the model of `rollout-e2e analyze` (DESIGN.md §6).
public struct FixedTickInputs: TickInputs, Sendable, Hashable {
    public var revision: String
    public var trackedConfigs: String?
    public var primaryReadiness: DeploymentReadiness
    public var canaryReadiness: DeploymentReadiness
    public var webhooks: [String: WebhookResult]
    public var metrics: [String: MetricResult]

    public init(
        revision: String = "v1",
        trackedConfigs: String? = nil,
        primaryReadiness: DeploymentReadiness = .ready,
        canaryReadiness: DeploymentReadiness = .ready,
        webhooks: [String: WebhookResult] = [:],
        metrics: [String: MetricResult] = [:]
    ) {
        self.revision = revision
        self.trackedConfigs = trackedConfigs
        self.primaryReadiness = primaryReadiness
        self.canaryReadiness = canaryReadiness
        self.webhooks = webhooks
        self.metrics = metrics
    }

    public func callWebhook(_ webhook: CanaryWebhook, type: CanaryWebhookType, phase: CanaryPhase) -> WebhookResult {
        if let result = webhooks[webhook.name] { return result }
        return type == .rollback
            ? .failure("Forbidden")
            : .success(status: 200)
    }

    public func queryMetric(_ metric: CanaryMetric, kind: MetricCheckKind) -> MetricResult? {
        metrics[metric.name]
    }
}
