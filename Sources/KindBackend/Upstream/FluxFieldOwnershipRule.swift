/// kustomize-controller's field ownership and prune rules, as ``UpstreamClusterModel`` applies them. Read at the
/// pinned fluxcd/kustomize-controller v1.9.4 and the fluxcd/pkg `ssa/v0.76.1` its go.mod (line 32) requires:
///
/// 1. Takeover. Before each apply, fields owned by a manager whose name starts with `kubectl` (operation Apply or
///    Update), by `before-first-apply`, or by the controller's own Update entries become kustomize-controller's
///    (`internal/controller/kustomization_controller.go:894-915` `FieldManagers`, `:929-944` the cleanup options;
///    fluxcd/pkg `ssa/patch.go:71-80` matches by operation, then `strings.HasPrefix` on the name, `:114-171` renames
///    or merges the entries; `ssa/manager_apply.go:154, 287` runs it before every apply). Skipped when the
///    manifest or the live object is annotated `kustomize.toolkit.fluxcd.io/ssa: Merge` (`:942-944`,
///    `manager_apply.go:480`).
/// 2. Apply. The forced server-side apply of the rendered manifest (`manager_apply.go:431-437`) drops every field
///    the controller now owns and the manifest does not declare: an annotation `kubectl` added, a `kubectl scale`,
///    a `kubectl rollout restart`, a `kubectl set env`. (The last step is the API server's apply semantics, not a
///    line of Flux.)
/// 3. Prune. Objects that leave the inventory (`kustomization_controller.go:493-504`), or all of it when the
///    Kustomization is deleted with `prune: true` and not suspended (`:1157-1178`, `:1184-1224`), are deleted
///    unless the *live* object carries `kustomize.toolkit.fluxcd.io/prune: disabled` as a label or an annotation,
///    any case (fluxcd/pkg `ssa/manager_delete.go:68-89`, `ssa/utils/meta.go:61-71`). Deleting a Namespace deletes
///    what is in it.
///
/// `flux-client-side-apply` is the manager the controller's documentation gives for kubectl edits it must keep
/// (`docs/spec/v1/kustomizations.md:1641-1647`); ``FieldManagers/keptByFlux``.
public enum FluxFieldOwnershipRule {
    public static let name = "flux-field-ownership"
    public static let pruneName = "flux-prune"
    public static let takeoverSource = UpstreamSource(
        "fluxcd/kustomize-controller",
        "v1.9.4",
        "internal/controller/kustomization_controller.go",
        lines: "894-944"
    )
    public static let pruneSource = UpstreamSource(
        "fluxcd/pkg",
        "ssa/v0.76.1",
        "ssa/manager_delete.go",
        lines: "68-89"
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
