/// The kinds the harness knows by type. Anything else in a manifest is kept as an untyped object.
public enum ObjectRegistry {
    public static let kinds: [any KubernetesObject.Type] = [
        Namespace.self, Deployment.self, Service.self, Ingress.self, ConfigMap.self, Secret.self,
        HorizontalPodAutoscaler.self,
        GitRepository.self, OCIRepository.self, Kustomization.self,
        Canary.self, MetricTemplate.self, AlertProvider.self,
    ]

    /// The type registered for `kind`, if any (regardless of apiVersion).
    public static func type(forKind kind: String) -> (any KubernetesObject.Type)? {
        kinds.first { $0.kind == kind }
    }
}
