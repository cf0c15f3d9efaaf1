import ObjectModel

/// What the world looks like during one tick. The engine asks for webhook and metric results only when Flagger
/// would make the call, in Flagger's order, so an implementation may perform the real call inside these methods.
public protocol TickInputs {
    /// The target's pod-template hash (Flagger's `ComputeHash(target.spec.template)`).
    var revision: String { get }
    /// The checksum of tracked ConfigMaps/Secrets, or `nil` when none are tracked.
    var trackedConfigs: String? { get }
    var primaryReadiness: DeploymentReadiness { get }
    var canaryReadiness: DeploymentReadiness { get }
    /// Calls `webhook` (type already resolved) with the payload phase `phase`.
    mutating func callWebhook(_ webhook: CanaryWebhook, type: CanaryWebhookType, phase: CanaryPhase) -> WebhookResult
    /// Runs `metric`'s query; `nil` means "not measured, passes" (the replay's default for omitted metrics).
    mutating func queryMetric(_ metric: CanaryMetric, kind: MetricCheckKind) -> MetricResult?
}
