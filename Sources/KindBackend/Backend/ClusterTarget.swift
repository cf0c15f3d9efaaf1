/// Which cluster the backend acts on: the Kind cluster it creates, or an existing one (`--kubeconfig`).
///
/// Every kubectl, helm and flux command names its cluster explicitly, so the user's current context is never
/// used or changed by accident.
public enum ClusterTarget: Sendable, Hashable, CustomStringConvertible {
    /// The Kind cluster `name` (kubeconfig context `kind-<name>`, kind-stack.md §1.6).
    case kind(name: String)
    /// The cluster of an existing kubeconfig; nothing is created or deleted.
    case kubeconfig(path: String)

    /// `kind-<name>`, the context kind writes.
    public var kindContext: String? {
        if case .kind(let name) = self { return "kind-\(name)" }
        return nil
    }

    public var kubectlFlags: [String] {
        switch self {
        case .kind(let name): ["--context", "kind-\(name)"]
        case .kubeconfig(let path): ["--kubeconfig", path]
        }
    }

    public var helmFlags: [String] {
        switch self {
        case .kind(let name): ["--kube-context", "kind-\(name)"]
        case .kubeconfig(let path): ["--kubeconfig", path]
        }
    }

    public var fluxFlags: [String] {
        switch self {
        case .kind(let name): ["--context", "kind-\(name)"]
        case .kubeconfig(let path): ["--kubeconfig", path]
        }
    }

    public var description: String {
        switch self {
        case .kind(let name): "Kind cluster '\(name)' (context kind-\(name))"
        case .kubeconfig(let path): "the cluster of kubeconfig \(path)"
        }
    }
}
