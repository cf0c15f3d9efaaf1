import YAML

/// `analysis.metrics[]`: a builtin metric (`request-success-rate`, `request-duration`), an inline PromQL `query`,
/// or a `templateRef` to a MetricTemplate, checked against `thresholdRange` (spec/flagger.md §3).
public struct CanaryMetric: Codable, Sendable, Hashable {
    public var name: String
    public var interval: String?
    /// Deprecated single bound (spec/flagger.md Q8).
    public var threshold: Double?
    public var thresholdRange: ThresholdRange?
    /// Deprecated inline PromQL.
    public var query: String?
    public var templateRef: TemplateReference?
    public var templateVariables: [String: String]?

    /// Inclusive bounds: a value equal to `min` or `max` passes. Either bound is optional.
    public struct ThresholdRange: Codable, Sendable, Hashable {
        public var min: Double?
        public var max: Double?

        public init(min: Double? = nil, max: Double? = nil) {
            self.min = min
            self.max = max
        }
    }

    /// A MetricTemplate by name; `namespace` defaults to the canary's.
    public struct TemplateReference: Codable, Sendable, Hashable {
        public var name: String
        public var namespace: String?

        public init(name: String, namespace: String? = nil) {
            self.name = name
            self.namespace = namespace
        }
    }

    public init(
        name: String,
        interval: String? = "1m",
        threshold: Double? = nil,
        thresholdRange: ThresholdRange? = nil,
        query: String? = nil,
        templateRef: TemplateReference? = nil
    ) {
        self.name = name
        self.interval = interval
        self.threshold = threshold
        self.thresholdRange = thresholdRange
        self.query = query
        self.templateRef = templateRef
    }

    /// The two metric names Flagger answers from its own observer queries (scheduler_metrics.go).
    public static let builtinNames: Set<String> = ["request-success-rate", "request-duration"]

    /// Whether `runBuiltinMetricChecks` evaluates this metric (builtin name or inline query).
    public var isBuiltin: Bool { Self.builtinNames.contains(name) }
}
