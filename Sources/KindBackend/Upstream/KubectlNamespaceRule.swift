import YAML

/// kubectl's namespace enforcement: with `--namespace` on the command line, every namespaced object read from
/// `--filename`/`--kustomize` must carry that namespace or none; kubectl refuses each object whose own namespace
/// differs and the command exits non-zero.
///
/// Upstream, read at the pinned v1.35.1 (kubernetes/kubectl, cli-runtime and client-go at v0.35.1):
/// - kubectl `pkg/cmd/apply/apply.go:308` `namespace, enforceNamespace, err := f.ToRawKubeConfigLoader().Namespace()`,
///   `:473-474` `.NamespaceParam(…).DefaultNamespace().FilenameParam(o.EnforceNamespace, …)`; the same in
///   `pkg/cmd/delete/delete.go:173, 218-219`;
/// - client-go `tools/clientcmd/client_config.go:400-405`: `enforceNamespace` is true only for the `--namespace`
///   override, `:417-421` false for the kubeconfig context's namespace;
/// - cli-runtime `pkg/resource/builder.go:285-298`: `FilenameParam` reads `-k` as well and calls
///   `RequireNamespace()`;
/// - cli-runtime `pkg/resource/visitor.go:665-683` `RequireNamespace`: `:670` cluster-scoped objects are skipped,
///   `:673-676` an object without a namespace gets the flag's, `:678-679` any other is refused with the message
///   below. `apply` goes on with the other objects and then exits with the error (`builder.go:1194-1197`,
///   `visitor.go:385-403`, `apply.go:516-542`).
public enum KubectlNamespaceRule {
    public static let name = "kubectl-namespace-enforcement"
    public static let source = UpstreamSource(
        "kubernetes/cli-runtime",
        "v0.35.1",
        "pkg/resource/visitor.go",
        lines: "665-683"
    )

    /// The verbs that read objects through the builder's `FilenameParam`.
    static let filenameVerbs: Set<String> = ["apply", "create", "delete", "replace"]

    /// The objects kubectl refuses, by index in `objects`.
    public static func refused(_ invocation: KubectlInvocation, objects: [Node]) -> [Int] {
        guard let namespace = invocation.namespace, !namespace.isEmpty, filenameVerbs.contains(invocation.verb),
            invocation.has("filename") || invocation.has("kustomize")
        else { return [] }
        return objects.indices.filter { index in
            guard let kind = objects[index]["kind"]?.scalarValue, ClusterScope.isNamespaced(kind),
                let own = objects[index].find(["metadata", "namespace"])?.scalarValue, !own.isEmpty
            else { return false }
            return own != namespace
        }
    }

    /// kubectl's refusal for `objects` read by `invocation` (its message for the first refused object), or nil
    /// when it accepts them all.
    public static func check(_ invocation: KubectlInvocation, objects: [Node], command: String) -> UpstreamFinding? {
        guard let first = refused(invocation, objects: objects).first, let namespace = invocation.namespace,
            let own = objects[first].find(["metadata", "namespace"])?.scalarValue
        else { return nil }
        return UpstreamFinding(
            effect: .refused,
            rule: name,
            command: command,
            message: "error: the namespace from the provided object \"\(own)\" does not match the namespace "
                + "\"\(namespace)\". You must pass '--namespace=\(own)' to perform this operation.",
            source: source
        )
    }
}
