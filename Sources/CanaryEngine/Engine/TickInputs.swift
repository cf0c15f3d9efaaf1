import ObjectModel

/// What the world looks like during one tick. The engine asks for webhook and metric results only when Flagger
/// would make the call, in Flagger's order, so an implementation may perform the real call inside these methods
/// (they are `async` so it can, without blocking a thread); the engine itself does no I/O and keeps no clock.
public protocol TickInputs {
    /// The target's pod-template hash (Flagger's `ComputeHash(target.spec.template)`).
    var revision: String { get }
    /// The checksum of tracked ConfigMaps/Secrets, or `nil` when none are tracked.
    var trackedConfigs: String? { get }
    var primaryReadiness: DeploymentReadiness { get }
    var canaryReadiness: DeploymentReadiness { get }
    /// Calls `webhook` (type already resolved) with the payload phase `phase`.
    mutating func callWebhook(
        _ webhook: CanaryWebhook,
        type: CanaryWebhookType,
        phase: CanaryPhase
    ) async -> WebhookResult
    /// Sends `event` to an `event` webhook (Flagger's `CallEventWebhook`: the payload's metadata carries
    /// `eventMessage`, `eventType` and `timestamp`, spec/flagger.md §4.1). Flagger only logs the result.
    mutating func callEventWebhook(_ webhook: CanaryWebhook, event: CanaryEvent, phase: CanaryPhase) async
    /// Runs `metric`'s query; `nil` means "not measured, passes" (the replay's default for omitted metrics).
    mutating func queryMetric(_ metric: CanaryMetric, kind: MetricCheckKind) async -> MetricResult?
}

extension TickInputs {
    /// Inputs that answer webhooks by name (the replay) answer an event hook like any other call.
    public mutating func callEventWebhook(_ webhook: CanaryWebhook, event: CanaryEvent, phase: CanaryPhase) async {
        _ = await callWebhook(webhook, type: .event, phase: phase)
    }
}
