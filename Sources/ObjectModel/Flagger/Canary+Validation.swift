import YAML

/// The checks Flagger's CRD schema and controller apply (spec/flagger.md §1), plus warnings for settings Flagger
/// accepts but that cannot behave as a reader would expect (the quirks of §2.11).
extension Canary: Validatable {
    /// Providers the CRD's enum accepts.
    public static let providers = [
        "apisix", "appmesh", "appmesh:v1beta2", "contour", "gatewayapi:v1", "gatewayapi:v1beta1", "gloo", "istio",
        "knative", "kubernetes", "kuma", "linkerd", "nginx", "osm", "skipper", "smi:v1alpha1", "smi:v1alpha2",
        "smi:v1alpha3", "traefik",
    ]

    public func validate(_ context: ValidationContext) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        let spec = self.spec
        if metadata.name.isEmpty {
            problems.append(context.error(["metadata", "name"], "metadata.name must not be empty"))
        }
        if let provider = spec.provider, !provider.isEmpty, !Self.providers.contains(provider) {
            problems.append(
                context.error(
                    ["spec", "provider"],
                    "unknown provider '\(provider)'; expected one of " + Self.providers.joined(separator: ", ")
                )
            )
        }
        if !["Deployment", "DaemonSet", "Service"].contains(spec.targetRef.kind) {
            problems.append(
                context.error(
                    ["spec", "targetRef", "kind"],
                    "targetRef.kind must be Deployment, DaemonSet or Service, found '\(spec.targetRef.kind)'"
                )
            )
        }
        if let scaler = spec.autoscalerRef {
            if !["HorizontalPodAutoscaler", "ScaledObject"].contains(scaler.kind) {
                problems.append(
                    context.error(
                        ["spec", "autoscalerRef", "kind"],
                        "autoscalerRef.kind must be HorizontalPodAutoscaler or ScaledObject, found '\(scaler.kind)'"
                    )
                )
            }
            for key in ["minReplicas", "maxReplicas"] {
                let value =
                    key == "minReplicas"
                    ? scaler.primaryScalerReplicas?.minReplicas
                    : scaler.primaryScalerReplicas?.maxReplicas
                if let value, value < 1 {
                    problems.append(
                        context.error(
                            ["spec", "autoscalerRef", "primaryScalerReplicas", key],
                            "\(key) must be at least 1, found \(value)"
                        )
                    )
                }
            }
        }
        if provider == "nginx" {
            if let ingress = spec.ingressRef {
                if ingress.kind != "Ingress" {
                    problems.append(
                        context.error(
                            ["spec", "ingressRef", "kind"],
                            "ingressRef.kind must be Ingress, found '\(ingress.kind)'"
                        )
                    )
                }
            } else if spec.provider == "nginx" {
                // ingress.go:44 fails every reconcile with "ingress selector is empty".
                problems.append(
                    context.error(
                        ["spec"],
                        "the nginx provider needs spec.ingressRef (Flagger: \"ingress selector is empty\")"
                    )
                )
            } else {
                // No provider: Flagger's -mesh-provider flag decides; the harness runs Flagger with nginx.
                problems.append(
                    context.warning(
                        ["spec"],
                        "no provider and no ingressRef: with -mesh-provider=nginx (as the harness runs Flagger) every "
                            + "reconcile fails with \"ingress selector is empty\""
                    )
                )
            }
        }
        if spec.service == nil {
            problems.append(context.error(["spec"], "spec.service is required (with at least port)"))
        }
        if let service = spec.service {
            if !(1...65535).contains(service.port) {
                problems.append(context.error(["spec", "service", "port"], "port \(service.port) is outside 1-65535"))
            }
            if let distribution = service.trafficDistribution,
                !["PreferClose", "PreferSameZone", "PreferSameNode"].contains(distribution)
            {
                problems.append(
                    context.error(
                        ["spec", "service", "trafficDistribution"],
                        "trafficDistribution must be PreferClose, PreferSameZone or PreferSameNode"
                    )
                )
            }
        }
        if let deadline = spec.progressDeadlineSeconds, deadline <= 0 {
            problems.append(
                context.error(
                    ["spec", "progressDeadlineSeconds"],
                    "progressDeadlineSeconds must be positive, found \(deadline)"
                )
            )
        }
        let key = spec.analysis != nil ? "analysis" : "canaryAnalysis"
        if let analysis = effectiveAnalysis {
            if spec.analysis == nil {
                problems.append(context.warning(["spec", key], "canaryAnalysis is deprecated; rename it to analysis"))
            }
            problems += Self.validate(analysis, at: ["spec", key], provider: provider, context)
        } else {
            problems.append(context.error(["spec"], "spec.analysis is required"))
        }
        return problems
    }

    /// `^[0-9]+(m|s)`, the CRD's pattern for intervals and timeouts (prefix match, as Kubernetes applies it).
    static func matchesIntervalPattern(_ text: String) -> Bool {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let unit = text.dropFirst(digits.count).first else { return false }
        return unit == "m" || unit == "s"
    }

    private static func validate(
        _ analysis: CanaryAnalysis,
        at base: [String],
        provider: String,
        _ context: ValidationContext
    ) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if let interval = analysis.interval {
            if !matchesIntervalPattern(interval) || (try? ManifestDuration(parsing: interval)) == nil {
                problems.append(
                    context.error(base + ["interval"], "interval '\(interval)' must look like 30s or 1m (^[0-9]+(m|s))")
                )
            } else if analysis.analysisIntervalSeconds > (try? ManifestDuration(parsing: interval))?.seconds ?? 0 {
                problems.append(
                    context.warning(
                        base + ["interval"],
                        "interval \(interval) is below Flagger's 10s floor; 10s is used"
                    )
                )
            }
        } else {
            problems.append(context.error(base, "analysis.interval is required"))
        }
        if analysis.threshold == nil {
            problems.append(context.error(base, "analysis.threshold is required"))
        }
        // CRD oneOf: exactly one of iterations, stepWeight, stepWeights.
        let present = [
            ("iterations", analysis.iterations != nil), ("stepWeight", analysis.stepWeight != nil),
            ("stepWeights", analysis.stepWeights != nil),
        ].filter(\.1).map(\.0)
        if present.isEmpty {
            problems.append(context.error(base, "analysis needs one of iterations, stepWeight or stepWeights"))
        } else if present.count > 1 {
            problems.append(
                context.error(
                    base + [present[1]],
                    "set only one of iterations, stepWeight and stepWeights "
                        + "(found \(present.joined(separator: " and ")))"
                )
            )
        }
        if let step = analysis.stepWeight, step <= 0 {
            // nextStepWeight() returns 0 and the canary stays at weight 0 forever (spec/flagger.md Q5).
            problems.append(
                context.error(
                    base + ["stepWeight"],
                    "stepWeight must be greater than 0, found \(step); the canary would never advance"
                )
            )
        }
        if let steps = analysis.stepWeights {
            if steps.isEmpty {
                problems.append(context.error(base + ["stepWeights"], "stepWeights must not be empty"))
            }
            for (index, step) in steps.enumerated() where step <= 0 || (index > 0 && step <= steps[index - 1]) {
                problems.append(
                    context.error(
                        base + ["stepWeights", "\(index)"],
                        "stepWeights must be positive and increasing, found \(step)"
                    )
                )
            }
        }
        if let iterations = analysis.iterations, iterations <= 0 {
            problems.append(
                context.error(base + ["iterations"], "iterations must be greater than 0, found \(iterations)")
            )
        }
        for (field, value) in [
            ("maxWeight", analysis.maxWeight), ("stepWeightPromotion", analysis.stepWeightPromotion),
            ("primaryReadyThreshold", analysis.primaryReadyThreshold),
            ("canaryReadyThreshold", analysis.canaryReadyThreshold),
        ] {
            if let value, !(0...100).contains(value) {
                problems.append(context.error(base + [field], "\(field) must be between 0 and 100, found \(value)"))
            }
        }
        if (analysis.match?.isEmpty ?? true) == false, analysis.iterations == nil {
            problems.append(
                context.warning(base + ["match"], "match is only used for A/B testing, which needs iterations")
            )
        }
        if analysis.mirror == true, provider == "nginx" {
            problems.append(
                context.warning(
                    base + ["mirror"],
                    "the nginx provider cannot mirror; with mirror the canary stays at weight 0 (spec/flagger.md Q7)"
                )
            )
        }
        for (index, request) in (analysis.match ?? []).enumerated() {
            for (header, match) in (request.headers ?? [:]).sorted(by: { $0.key < $1.key }) {
                // CRD: each header matcher is oneOf exact, prefix, suffix, regex.
                let set = [match.exact, match.prefix, match.suffix, match.regex].compactMap { $0 }.count
                if set != 1 {
                    problems.append(
                        context.error(
                            base + ["match", "\(index)", "headers", header],
                            "header \(header) needs exactly one of exact, prefix, suffix and regex"
                        )
                    )
                }
            }
        }
        problems += validateMetrics(analysis.metrics ?? [], at: base + ["metrics"], context)
        problems += validateWebhooks(analysis.webhooks ?? [], at: base + ["webhooks"], context)
        for (index, alert) in (analysis.alerts ?? []).enumerated() {
            let path = base + ["alerts", "\(index)"]
            let severity = alert.severity ?? ""
            if severity.isEmpty {
                problems.append(
                    context.warning(path, "alert '\(alert.name)' has no severity and never fires (spec/flagger.md Q11)")
                )
            } else if !["info", "warn", "error"].contains(severity) {
                problems.append(
                    context.error(path + ["severity"], "severity must be info, warn or error, found '\(severity)'")
                )
            }
        }
        return problems
    }

    private static func validateMetrics(
        _ metrics: [CanaryMetric],
        at base: [String],
        _ context: ValidationContext
    ) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        for (index, metric) in metrics.enumerated() {
            let path = base + ["\(index)"]
            if let interval = metric.interval, !matchesIntervalPattern(interval) {
                problems.append(
                    context.error(path + ["interval"], "interval '\(interval)' must look like 30s or 1m (^[0-9]+(m|s))")
                )
            }
            if let range = metric.thresholdRange, let min = range.min, let max = range.max, min > max {
                problems.append(
                    context.error(
                        path + ["thresholdRange"],
                        "thresholdRange min \(min) is above max \(max); no value can pass"
                    )
                )
            }
            let hasQuery = !(metric.query ?? "").isEmpty
            // Flagger's CRD and verifyCanary accept such a metric; every analysed tick then fails with "Metric query
            // failed for no usable metrics template and query were configured" (scheduler_metrics.go:260-353,
            // spec/flagger.md §3.2). A warning, so `analyze` can replay exactly that.
            if !metric.isBuiltin && !hasQuery && metric.templateRef == nil {
                problems.append(
                    context.warning(
                        path,
                        "metric '\(metric.name)' is not a builtin metric and has neither templateRef nor query; "
                            + "Flagger accepts the Canary and fails every check with it"
                    )
                )
            }
            if metric.templateRef != nil, (metric.interval ?? "").isEmpty {
                problems.append(
                    context.warning(
                        path,
                        "metric '\(metric.name)' has no interval; its template renders {{ interval }} as \"\" "
                            + "(spec/flagger.md Q12)"
                    )
                )
            }
        }
        return problems
    }

    private static func validateWebhooks(
        _ webhooks: [CanaryWebhook],
        at base: [String],
        _ context: ValidationContext
    ) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        var seen: Set<String> = []
        for (index, webhook) in webhooks.enumerated() {
            let path = base + ["\(index)"]
            if webhook.hookType == nil {
                let types = CanaryWebhookType.allCases.map(\.rawValue).joined(separator: ", ")
                problems.append(
                    context.error(
                        path + ["type"],
                        "unknown webhook type '\(webhook.type ?? "")'; expected one of \(types)"
                    )
                )
            }
            if let timeout = webhook.timeout, !matchesIntervalPattern(timeout) {
                problems.append(
                    context.error(path + ["timeout"], "timeout '\(timeout)' must look like 30s or 1m (^[0-9]+(m|s))")
                )
            }
            if let retries = webhook.retries, retries < 0 {
                problems.append(context.error(path + ["retries"], "retries must be 0 or more, found \(retries)"))
            }
            if webhook.url.isEmpty {
                problems.append(context.error(path + ["url"], "url must not be empty"))
            }
            if !seen.insert(webhook.name).inserted {
                problems.append(context.warning(path + ["name"], "another webhook is also named '\(webhook.name)'"))
            }
        }
        return problems
    }
}
