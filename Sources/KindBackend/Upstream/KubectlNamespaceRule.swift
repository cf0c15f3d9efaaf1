import YAML

/// kubectl's namespace enforcement: with `--namespace` on the command line, every namespaced object read from
/// `--filename`/`--kustomize` must carry that namespace or none; any other makes kubectl refuse the whole command.
///
/// Upstream (kubectl v1.35.1):
/// - `pkg/cmd/apply/apply.go`: `cmdNamespace, enforceNamespace, err := f.ToRawKubeConfigLoader().Namespace()`;
///   `enforceNamespace` is true only when the namespace was given explicitly (client-go `clientcmd`
///   `DeferredLoadingClientConfig.Namespace`, the `overridden` result);
/// - cli-runtime `pkg/resource/builder.go` `FilenameParam(enforceNamespace, …)` → `RequireNamespace()`;
/// - cli-runtime `pkg/resource/visitor.go` `RequireNamespace`: an object without a namespace gets the flag's, an
///   object with another is refused with the message below; cluster-scoped objects are skipped.
/// The same builder path serves `delete`, `create` and `replace` with `--filename`/`--kustomize`.
public enum KubectlNamespaceRule {
    public static let name = "kubectl-namespace-enforcement"
    public static let source = UpstreamSource(
        "kubernetes/cli-runtime", "v0.35.1", "pkg/resource/visitor.go", lines: "RequireNamespace"
    )

    /// The verbs that read objects through the builder's `FilenameParam`.
    static let filenameVerbs: Set<String> = ["apply", "create", "delete", "replace"]

    /// kubectl's refusal for `objects` read by `invocation`, or nil when it accepts them.
    public static func check(_ invocation: KubectlInvocation, objects: [Node], command: String) -> UpstreamFinding? {
        guard let namespace = invocation.namespace, !namespace.isEmpty, filenameVerbs.contains(invocation.verb),
            invocation.has("filename") || invocation.has("kustomize")
        else { return nil }
        for object in objects {
            guard let kind = object["kind"]?.scalarValue, ClusterScope.isNamespaced(kind),
                let own = object.find(["metadata", "namespace"])?.scalarValue, !own.isEmpty, own != namespace
            else { continue }
            return UpstreamFinding(
                effect: .refused,
                rule: name,
                command: command,
                message: "error: the namespace from the provided object \"\(own)\" does not match the namespace "
                    + "\"\(namespace)\". You must pass '--namespace=\(own)' to perform this operation.",
                source: source
            )
        }
        return nil
    }
}
