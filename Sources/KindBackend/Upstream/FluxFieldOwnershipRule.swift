/// kustomize-controller's field ownership and prune rules (Flux v2.9.4, kustomize-controller v1.9.4 with the
/// fluxcd/pkg `ssa` module it requires), as ``UpstreamClusterModel`` applies them:
///
/// 1. Takeover. Before each apply, fields owned by a manager whose name starts with `kubectl` (operation Apply or
///    Update), by `before-first-apply` or by the controller's own old Update entries become kustomize-controller's
///    (`internal/controller/kustomization_controller.go`, `ApplyCleanupOptions.FieldManagers`; fluxcd/pkg
///    `ssa/patch.go` matches managers by prefix). Skipped for an object annotated
///    `kustomize.toolkit.fluxcd.io/ssa: merge` (the cleanup's `Exclusions`).
/// 2. Apply. The server-side apply of the rendered manifest removes every field the controller owns and the
///    manifest no longer declares: an annotation `kubectl` added, a `kubectl scale`, a `kubectl rollout restart`.
/// 3. Prune. Objects leave the inventory (a commit drops them, or the Kustomization is deleted with `prune: true`)
///    and are deleted unless the object in the cluster carries `kustomize.toolkit.fluxcd.io/prune: disabled`
///    (fluxcd/pkg `ssa` `AnyInMetadata` on the live object). Deleting a Namespace deletes what is in it.
///
/// `flux-client-side-apply` is the manager the controller's documentation gives for kubectl edits it must keep
/// (`docs/spec/v1/kustomizations.md`); ``FieldManagers/keptByFlux``.
public enum FluxFieldOwnershipRule {
    public static let name = "flux-field-ownership"
    public static let pruneName = "flux-prune"
    public static let takeoverSource = UpstreamSource(
        "fluxcd/kustomize-controller", "v1.9.4", "internal/controller/kustomization_controller.go",
        lines: "ApplyCleanupOptions.FieldManagers"
    )
    public static let pruneSource = UpstreamSource(
        "fluxcd/pkg", "ssa (kustomize-controller v1.9.4)", "ssa/utils.go", lines: "AnyInMetadata"
    )
    /// The controller's field manager.
    public static let controller = "kustomize-controller"
    /// `kustomize.toolkit.fluxcd.io/prune: disabled` keeps an object when it leaves the inventory.
    public static let pruneAnnotation = "kustomize.toolkit.fluxcd.io/prune"
    public static let ssaAnnotation = "kustomize.toolkit.fluxcd.io/ssa"

    /// Whether kustomize-controller takes over fields of `manager`.
    public static func takesOver(_ manager: String) -> Bool {
        manager.hasPrefix("kubectl") || manager == "before-first-apply" || manager == controller
    }
}
