/// The field managers the harness's kubectl commands write under, and why (Flux's field-ownership rules,
/// ``FluxFieldOwnershipRule``).
///
/// kustomize-controller takes over every field owned by a manager whose name starts with `kubectl` (all of
/// kubectl's defaults: `kubectl-client-side-apply`, `kubectl-annotate`, `kubectl-patch`, `kubectl-rollout`,
/// `kubectl-set`, and `kubectl` itself for `kubectl scale`), then applies its own manifest, which removes whatever
/// the manifest does not declare. A change the harness makes with kubectl to an object that a Flux Kustomization
/// also applies is therefore undone at the next reconcile — unless it is made under `flux-client-side-apply`, the
/// manager kustomize-controller's documentation names for edits Flux must keep.
public enum FieldManagers {
    /// kustomize-controller docs/spec/v1/kustomizations.md (v1.9.4): "kubectl … --field-manager=flux-client-side-apply".
    public static let keptByFlux = "flux-client-side-apply"

    /// `--field-manager=flux-client-side-apply`.
    public static let keptByFluxFlag = "--field-manager=\(keptByFlux)"
}
