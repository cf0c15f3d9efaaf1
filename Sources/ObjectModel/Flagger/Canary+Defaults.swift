import YAML

/// How Flagger steps a canary, from `DeploymentStrategy()` (canary.go:693-711).
public enum CanaryStrategy: String, Sendable, Hashable {
    case canary
    case abTesting = "ab-testing"
    case blueGreen = "blue-green"
}

/// Flagger's defaults (spec/flagger.md §1), computed from the spec as written.
extension Canary {
    public var name: String { metadata.name }
    /// Namespace, `default` when the manifest has none.
    public var namespace: String { metadata.namespace ?? "default" }

    /// `GetAnalysis()`: `analysis`, else the deprecated `canaryAnalysis`.
    public var effectiveAnalysis: CanaryAnalysis? { spec.analysis ?? spec.canaryAnalysis }

    /// `SkipAnalysis()` (canary.go:685-690): also true when there is no analysis at all.
    public var skipsAnalysis: Bool { spec.skipAnalysis == true || effectiveAnalysis == nil }

    /// `GetProgressDeadlineSeconds()`: 600 unless set.
    public var progressDeadlineSeconds: Int { spec.progressDeadlineSeconds ?? 600 }

    /// The provider in effect; the harness runs Flagger with `-mesh-provider=nginx`.
    public var provider: String { spec.provider.flatMap { $0.isEmpty ? nil : $0 } ?? "nginx" }

    /// `GetAnalysisInterval()` in seconds: "" or unparsable → 60 s; below 10 s → 10 s.
    public var analysisIntervalSeconds: Double { effectiveAnalysis?.analysisIntervalSeconds ?? 60 }

    /// `GetAnalysisThreshold()`: ≤ 0 → 1.
    public var analysisThreshold: Int { effectiveAnalysis?.analysisThreshold ?? 1 }

    /// The apex service name (`spec.service.name`, else the target's name).
    public var serviceName: String { spec.service?.name.flatMap { $0.isEmpty ? nil : $0 } ?? spec.targetRef.name }

    /// The ingress name builtin NGINX queries use (`ingressRef.name`, else the target's name).
    public var ingressName: String { spec.ingressRef?.name ?? spec.targetRef.name }
}

extension CanaryAnalysis {
    /// `GetAnalysisInterval()` in seconds: "" or unparsable → 60 s; below 10 s → 10 s (canary.go:637-652).
    public var analysisIntervalSeconds: Double {
        guard let interval, let parsed = try? ManifestDuration(parsing: interval) else { return 60 }
        return Swift.max(parsed.seconds, 10)
    }

    /// `GetAnalysisThreshold()`: ≤ 0 → 1 (canary.go:655-660).
    public var analysisThreshold: Int {
        guard let threshold, threshold > 0 else { return 1 }
        return threshold
    }

    /// `maxWeight()` (scheduler.go:41-51): last of `stepWeights` capped at 100; else `maxWeight` when > 0; else 100.
    public var effectiveMaxWeight: Int {
        if let steps = stepWeights, let last = steps.last { return Swift.min(100, last) }
        if let maxWeight, maxWeight > 0 { return maxWeight }
        return 100
    }

    /// `nextStepWeight()` (scheduler.go:58-88) for the current router weight.
    public func nextStepWeight(from weight: Int) -> Int {
        let step = stepWeight ?? 0
        let steps = stepWeights ?? []
        if step > 0 || steps.isEmpty { return step }
        let maxStep = 100 - weight
        if maxStep == 0 { return 1 }
        if weight == 0 { return Swift.min(maxStep, steps[0]) }
        for index in 0..<(steps.count - 1) where steps[index] == weight {
            return Swift.min(maxStep, steps[index + 1] - weight)
        }
        return maxStep
    }

    /// `DeploymentStrategy()`: iterations with a match is A/B, iterations alone Blue/Green, otherwise canary.
    public var strategy: CanaryStrategy {
        guard let iterations, iterations > 0 else { return .canary }
        return (match?.isEmpty ?? true) ? .blueGreen : .abTesting
    }

    /// `primaryReadyThreshold`, 100 % by default.
    public var effectivePrimaryReadyThreshold: Int { primaryReadyThreshold ?? 100 }
    /// `canaryReadyThreshold`, 100 % by default.
    public var effectiveCanaryReadyThreshold: Int { canaryReadyThreshold ?? 100 }
}

extension CanaryWebhook {
    /// Per-attempt timeout in seconds: `"10s"` when the text is shorter than 2 characters (webhook.go:111-113).
    public var timeoutSeconds: Double {
        guard let timeout, timeout.count >= 2, let parsed = try? ManifestDuration(parsing: timeout) else { return 10 }
        return parsed.seconds
    }
}

extension CanaryMetric {
    /// The query window: `interval`, or `1m` for builtin and inline metrics. Template metrics without an interval
    /// render `{{ interval }}` as "" (spec/flagger.md §1.3, Q12).
    public var effectiveInterval: String {
        if let interval, !interval.isEmpty { return interval }
        return templateRef == nil ? "1m" : ""
    }
}
