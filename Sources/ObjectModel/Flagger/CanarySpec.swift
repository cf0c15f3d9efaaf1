import YAML

/// `CanarySpec` (canary.go:71-127). Fields only mesh or gateway routers read are kept as raw nodes.
public struct CanarySpec: Codable, Sendable, Hashable {
    /// Overrides Flagger's `-mesh-provider` flag; the harness runs Flagger with `nginx`.
    public var provider: String?
    public var metricsServer: String?
    public var targetRef: CanaryTargetReference
    public var autoscalerRef: CanaryAutoscalerReference?
    public var ingressRef: CanaryTargetReference?
    public var routeRef: Node?
    public var upstreamRef: Node?
    public var service: CanaryService?
    public var analysis: CanaryAnalysis?
    /// Deprecated alias of `analysis`; `analysis` wins when both are set (`GetAnalysis()`).
    public var canaryAnalysis: CanaryAnalysis?
    public var progressDeadlineSeconds: Int?
    public var skipAnalysis: Bool?
    public var revertOnDeletion: Bool?
    public var suspend: Bool?

    public init(
        provider: String? = nil,
        targetRef: CanaryTargetReference,
        ingressRef: CanaryTargetReference? = nil,
        service: CanaryService? = CanaryService(port: 80),
        analysis: CanaryAnalysis? = nil
    ) {
        self.provider = provider
        self.targetRef = targetRef
        self.ingressRef = ingressRef
        self.service = service
        self.analysis = analysis
    }
}
