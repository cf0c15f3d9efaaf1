/// The field managers the harness's kubectl commands write under, and why (Flux's field-ownership rules,
/// ``FluxFieldOwnershipRule``).
///
/// kustomize-controller takes over every field owned by a manager whose name starts with `kubectl` (all of
/// kubectl's defaults, kubectl v0.35.1: `kubectl-client-side-apply` apply.go:1086, `kubectl-annotate`
/// annotate.go:180, `kubectl-patch` patch.go:143, `kubectl-rollout` rollout_restart.go:109, `kubectl-set`
/// set_env.go:177; `kubectl scale` has no `--field-manager`, so the API server names it after the user agent,
/// `kubectl`: apiserver create.go:259-270), then applies its own manifest, which removes whatever
/// the manifest does not declare. A change the harness makes with kubectl to an object that a Flux Kustomization
/// also applies is therefore undone at the next reconcile — unless it is made under `flux-client-side-apply`, the
/// manager kustomize-controller's documentation names for edits Flux must keep.
public enum FieldManagers {
    /// fluxcd/kustomize-controller v1.9.4 `docs/spec/v1/kustomizations.md:1641-1647`: "In order to preserve fields
    /// added with `kubectl`, you have to specify a field manager named `flux-client-side-apply`".
    public static let keptByFlux = "flux-client-side-apply"

    /// `--field-manager=flux-client-side-apply`.
    public static let keptByFluxFlag = "--field-manager=\(keptByFlux)"
}
