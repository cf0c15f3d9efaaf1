/// How Flagger evaluates a metric: which function and which event texts apply (scheduler_metrics.go).
public enum MetricCheckKind: Sendable, Hashable {
    case requestSuccessRate
    case requestDuration
    case inlineQuery
    case template
}
