import YAML

/// `apps/v1 Deployment`: the canary's target and, once Flagger has initialised it, the primary.
public struct Deployment: KubernetesObject, Hashable, Validatable {
    public static let apiVersion = "apps/v1"
    public static let kind = "Deployment"
    public var apiVersion: String = Self.apiVersion
    public var kind: String = Self.kind
    public var metadata: ObjectMeta
    public var spec: DeploymentSpec
    public var status: Node?

    public init(metadata: ObjectMeta, spec: DeploymentSpec) {
        self.metadata = metadata
        self.spec = spec
    }

    public func validate(_ context: ValidationContext) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if let replicas = spec.replicas, replicas < 0 {
            problems.append(context.error(["spec", "replicas"], "spec.replicas must be 0 or more, found \(replicas)"))
        }
        if spec.template.spec.containers.isEmpty {
            problems.append(
                context.error(["spec", "template", "spec", "containers"], "a pod needs at least one container")
            )
        }
        let selector = spec.selector.matchLabels ?? [:]
        let labels = spec.template.metadata?.labels ?? [:]
        for (key, value) in selector.sorted(by: { $0.key < $1.key }) where labels[key] != value {
            problems.append(
                context.error(
                    ["spec", "selector", "matchLabels", key],
                    "selector \(key)=\(value) does not match the template's labels; the Deployment would select no pods"
                )
            )
        }
        for (index, container) in spec.template.spec.containers.enumerated() where container.image?.isEmpty ?? true {
            problems.append(
                context.error(
                    ["spec", "template", "spec", "containers", "\(index)"],
                    "container '\(container.name)' has no image"
                )
            )
        }
        return problems
    }
}

/// `DeploymentSpec`.
public struct DeploymentSpec: Codable, Sendable, Hashable {
    public var replicas: Int?
    public var selector: LabelSelector
    public var template: PodTemplateSpec
    public var strategy: Node?
    public var minReadySeconds: Int?
    public var revisionHistoryLimit: Int?
    /// Kubernetes defaults it to 600; Flagger reads it for the canary's readiness (spec/flagger.md §2.7).
    public var progressDeadlineSeconds: Int?
    public var paused: Bool?

    public init(replicas: Int? = nil, selector: LabelSelector, template: PodTemplateSpec) {
        self.replicas = replicas
        self.selector = selector
        self.template = template
    }
}
