import YAML

/// Which kinds live outside namespaces: what `kubectl api-resources --namespaced=false` lists on the pinned
/// Kubernetes 1.35 — the types marked `+genclient:nonNamespaced` in kubernetes/api v0.35.1 (`core/v1/types.go`:
/// Namespace 7098, Node 6971, PersistentVolume 366, ComponentStatus 8097; `admissionregistration/v1/types.go`,
/// `authentication/v1`, `authorization/v1`, …) and `NamespaceScoped() == false` for CustomResourceDefinition and
/// APIService — plus the alpha/beta ones (MutatingAdmissionPolicy, ClusterTrustBundle, …) so a cluster that serves
/// them is covered. None of the stack's CRDs is cluster-scoped (Flagger's and Flux's are `scope: Namespaced`).
///
/// kubectl neither checks nor defaults a cluster-scoped object's namespace (cli-runtime v0.35.1
/// `pkg/resource/visitor.go:650, 670`) and clears one that is set (`:632-639`), so the harness writes none into it.
public enum ClusterScope {
    /// Built-in cluster-scoped kinds of Kubernetes 1.35, by kind name (unique among built-in groups).
    public static let kinds: Set<String> = [
        // core/v1
        "ComponentStatus", "Namespace", "Node", "PersistentVolume",
        // admissionregistration.k8s.io
        "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding", "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding",
        // apiextensions.k8s.io, apiregistration.k8s.io
        "CustomResourceDefinition", "APIService",
        // authentication.k8s.io, authorization.k8s.io (LocalSubjectAccessReview is namespaced)
        "TokenReview", "SelfSubjectReview", "SubjectAccessReview", "SelfSubjectAccessReview", "SelfSubjectRulesReview",
        // certificates.k8s.io
        "CertificateSigningRequest", "ClusterTrustBundle",
        // flowcontrol.apiserver.k8s.io
        "FlowSchema", "PriorityLevelConfiguration",
        // networking.k8s.io
        "IngressClass", "IPAddress", "ServiceCIDR",
        // node.k8s.io, scheduling.k8s.io
        "RuntimeClass", "PriorityClass",
        // rbac.authorization.k8s.io
        "ClusterRole", "ClusterRoleBinding",
        // storage.k8s.io
        "CSIDriver", "CSINode", "StorageClass", "VolumeAttachment", "VolumeAttributesClass",
        // resource.k8s.io
        "DeviceClass", "ResourceSlice", "DeviceTaintRule",
        // storagemigration.k8s.io, internal.apiserver.k8s.io
        "StorageVersionMigration", "StorageVersion",
    ]

    /// Whether objects of `kind` are namespaced (unknown kinds are: every CRD of the stack is).
    public static func isNamespaced(_ kind: String) -> Bool { !kinds.contains(kind) }

    /// `document` with `metadata.namespace: namespace` when it is a namespaced object without one; any other
    /// document unchanged. This is what `kubectl --namespace` does to such objects (cli-runtime visitor.go:673-676),
    /// done in the manifest so that no `--namespace` flag is needed: with the flag kubectl refuses
    /// every object whose own namespace differs (``KubectlNamespaceRule``).
    public static func placing(_ document: Node, in namespace: String) -> Node {
        guard document.pairs != nil, let kind = document["kind"]?.scalarValue, isNamespaced(kind),
            document.find(["metadata", "namespace"])?.scalarValue?.isEmpty ?? true
        else { return document }
        // `namespace:` present but empty (null) is replaced in place, never duplicated: a second key is invalid YAML.
        return document.setting(["metadata", "namespace"], to: .scalar(Scalar(value: namespace)))
    }
}
