import ObjectModel

/// What Flagger derives from a Canary before any tick: names, defaults, hooks by type, alert fields.
final class EngineConfiguration: Sendable {
    let canary: Canary
    let name: String
    let namespace: String
    /// `<name>.<namespace>`, used in most events.
    let canaryID: String
    /// `<targetRef.name>.<namespace>`.
    let targetID: String
    /// `<targetRef.name>-primary`.
    let primaryName: String
    let targetName: String
    let targetKind: String
    let provider: String
    let isKubernetesProvider: Bool
    /// "nginx", or "nginx:service" for Service targets (scheduler_metrics.go): appears in no-data events.
    let metricsProvider: String
    let skipAnalysis: Bool
    let suspended: Bool
    let threshold: Int
    let maxWeight: Int
    let analysis: CanaryAnalysis
    let match: [HTTPMatchRequest]
    /// `analysis.iterations`, 0 when unset (and 10 for the kubernetes provider when < 1).
    let iterations: Int
    let stepWeightPromotion: Int
    let mirror: Bool
    /// Webhooks by type (index: position in `CanaryWebhookType.allCases`), in spec order.
    let hooksByType: [[CanaryWebhook]]
    let hasEventHooks: Bool
    let metrics: [CanaryMetric]
    let alertFields: [CanaryAlertMessage.Field]

    init(canary: Canary) {
        self.canary = canary
        name = canary.name
        namespace = canary.namespace
        canaryID = "\(canary.name).\(canary.namespace)"
        targetName = canary.spec.targetRef.name
        targetID = "\(targetName).\(canary.namespace)"
        primaryName = "\(targetName)-primary"
        targetKind = canary.spec.targetRef.kind
        provider = canary.provider
        isKubernetesProvider = provider == "kubernetes"
        metricsProvider = provider + (targetKind == "Service" ? ":service" : "")
        skipAnalysis = canary.skipsAnalysis
        suspended = canary.spec.suspend == true
        threshold = canary.analysisThreshold
        let analysis = canary.effectiveAnalysis ?? CanaryAnalysis(interval: nil, threshold: nil)
        self.analysis = analysis
        maxWeight = analysis.effectiveMaxWeight
        var match = analysis.match ?? []
        var iterations = analysis.iterations ?? 0
        if isKubernetesProvider {
            // scheduler.go: the kubernetes provider drops A/B matches and forces Blue/Green with 10 iterations.
            match = []
            if iterations < 1 { iterations = 10 }
        }
        self.match = match
        self.iterations = iterations
        stepWeightPromotion = analysis.stepWeightPromotion ?? 0
        mirror = analysis.mirror ?? false
        let typed = (analysis.webhooks ?? []).compactMap { hook in hook.hookType.map { (hook, $0) } }
        hooksByType = CanaryWebhookType.allCases.map { type in typed.filter { $0.1 == type }.map(\.0) }
        hasEventHooks = typed.contains { $0.1 == .event }
        metrics = analysis.metrics ?? []
        alertFields = Self.alertFields(canary: canary, analysis: analysis, threshold: canary.analysisThreshold)
    }

    /// The webhooks of `type`, in spec order.
    func hooks(_ type: CanaryWebhookType) -> [CanaryWebhook] {
        hooksByType[CanaryWebhookType.allCases.firstIndex(of: type) ?? 0]
    }

    /// `analysis.alerts` entries that receive an alert of `severity`; `nil` when the canary has no alerts.
    func recipients(for severity: AlertSeverity) -> [String]? {
        guard let alerts = analysis.alerts, !alerts.isEmpty else { return nil }
        return alerts.filter { severity.isDelivered(to: $0.severity ?? "") }.map(\.name)
    }

    /// The metadata fields of Flagger's alerts (events.go): target, threshold, deadline, traffic routing.
    private static func alertFields(
        canary: Canary,
        analysis: CanaryAnalysis,
        threshold: Int
    ) -> [CanaryAlertMessage.Field] {
        let routing: String
        switch analysis.strategy {
        case .abTesting: routing = "A/B Testing"
        case .blueGreen: routing = "Blue/Green"
        case .canary:
            if let steps = analysis.stepWeights, !steps.isEmpty {
                routing =
                    "Weight steps: \(steps.map(String.init).joined(separator: ",")) max: \(analysis.effectiveMaxWeight)"
            } else {
                routing = "Weight step: \(analysis.stepWeight ?? 0) max: \(analysis.effectiveMaxWeight)"
            }
        }
        return [
            .init("Target", "\(canary.spec.targetRef.kind)/\(canary.spec.targetRef.name).\(canary.namespace)"),
            .init("Failed checks threshold", "\(threshold)"),
            .init("Progress deadline", "\(canary.progressDeadlineSeconds)s"),
            .init("Traffic routing", routing),
        ]
    }
}
