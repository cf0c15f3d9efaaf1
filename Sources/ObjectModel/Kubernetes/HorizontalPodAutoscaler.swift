import YAML

/// `autoscaling/v2 HorizontalPodAutoscaler` (a Canary's `autoscalerRef`).
public struct HorizontalPodAutoscaler: KubernetesObject, Hashable, Validatable {
    public static let apiVersion = "autoscaling/v2"
    public static let acceptedAPIVersions = ["autoscaling/v2", "autoscaling/v2beta2", "autoscaling/v1"]
    public static let kind = "HorizontalPodAutoscaler"
    public var apiVersion: String = Self.apiVersion
    public var kind: String = Self.kind
    public var metadata: ObjectMeta
    public var spec: HPASpec
    public var status: Node?

    public func validate(_ context: ValidationContext) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if let min = spec.minReplicas, min > spec.maxReplicas {
            problems.append(
                context.error(["spec", "minReplicas"], "minReplicas \(min) is above maxReplicas \(spec.maxReplicas)")
            )
        }
        return problems
    }
}

/// `HorizontalPodAutoscalerSpec`.
public struct HPASpec: Codable, Sendable, Hashable {
    public var scaleTargetRef: CrossVersionObjectReference
    public var minReplicas: Int?
    public var maxReplicas: Int
    public var metrics: Node?
    public var behavior: Node?
    public var targetCPUUtilizationPercentage: Int?
}

/// A reference to another object by apiVersion, kind and name.
public struct CrossVersionObjectReference: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String
    public var name: String

    public init(apiVersion: String?, kind: String, name: String) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
    }
}
