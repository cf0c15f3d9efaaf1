/// `autoscalerRef`: the HPA or KEDA ScaledObject Flagger copies to `<name>-primary`.
public struct CanaryAutoscalerReference: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String
    public var name: String
    public var primaryScalerQueries: [String: String]?
    public var primaryScalerReplicas: PrimaryScalerReplicas?

    /// Replica bounds for the primary's scaler; both at least 1 when set.
    public struct PrimaryScalerReplicas: Codable, Sendable, Hashable {
        public var minReplicas: Int?
        public var maxReplicas: Int?
    }
}
