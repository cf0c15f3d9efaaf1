/// A fault a scenario injects into the cluster with kubectl.
public enum Fault: Sendable, Hashable {
    /// Sets environment variables on a Deployment's pod template. On a Canary's target this both triggers an
    /// analysis and makes only the canary misbehave, e.g. `PODINFO_RANDOM_ERROR=true` (kind-stack.md §5).
    case setEnvironment(deployment: String, namespace: String, variables: [String: String])
    /// Deletes the pods matching a label selector without waiting (they are recreated).
    case deletePods(namespace: String, selector: String)
    /// Deletes one pod by name without waiting (its ReplicaSet replaces it): a `fault` on one replica.
    case deletePod(namespace: String, name: String)
    /// Scales a Deployment.
    case scale(deployment: String, namespace: String, replicas: Int)
    /// Restarts a Deployment's pods (a pod-template annotation change, which Flagger treats as a new revision).
    case restart(deployment: String, namespace: String)

    /// The kubectl arguments, without the cluster flags.
    ///
    /// Every change is made under ``FieldManagers/keptByFlux``: the podinfo Deployment is applied by a Flux
    /// Kustomization, which would otherwise take the change over and undo it at its next reconcile (kubectl's
    /// defaults `kubectl-set`, `kubectl-rollout` and, for `kubectl scale`, which has no `--field-manager`, `kubectl`
    /// all start with `kubectl`). Scaling therefore goes through `kubectl patch --subresource=scale`.
    public var kubectlArguments: [String] {
        switch self {
        case .setEnvironment(let deployment, let namespace, let variables):
            ["--namespace", namespace, "set", "env", FieldManagers.keptByFluxFlag, "deployment/\(deployment)"]
                + variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        case .deletePods(let namespace, let selector):
            ["--namespace", namespace, "delete", "pods", "--selector=\(selector)", "--wait=false"]
        case .deletePod(let namespace, let name):
            ["--namespace", namespace, "delete", "pod/\(name)", "--wait=false"]
        case .scale(let deployment, let namespace, let replicas):
            [
                "--namespace", namespace, "patch", "deployment/\(deployment)", "--subresource=scale", "--type=merge",
                "--patch={\"spec\":{\"replicas\":\(replicas)}}", FieldManagers.keptByFluxFlag,
            ]
        case .restart(let deployment, let namespace):
            ["--namespace", namespace, "rollout", "restart", FieldManagers.keptByFluxFlag, "deployment/\(deployment)"]
        }
    }
}
