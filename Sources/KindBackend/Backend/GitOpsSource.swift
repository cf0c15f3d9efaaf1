/// The GitOps source Flux syncs: a git work tree on the host whose commits are pushed as the Flux OCI artifact
/// `rollout-e2e/apps:main` to a registry inside the cluster.
///
/// Why OCI and not a git server (README "GitOps source"): Flux's source-controller speaks only smart-HTTP git
/// (kind-stack.md §4.2), which would need a git server image the stack does not pin, while `flux push artifact`
/// into a `registry` is Flux's own local-development pattern (§4.4 option 3) and needs only the flux CLI the
/// backend already requires. The registry runs in the cluster, so it works the same with `--kubeconfig`
/// (through a port-forward) as on Kind (through a NodePort mapped to 127.0.0.1:5001).
public struct GitOpsSource: Sendable, Hashable {
    /// The git work tree on the host (`<work-dir>/kind/gitops`).
    public var workTree: String
    public var target: ClusterTarget
    /// The artifact's repository path in the registry (one per scenario session keeps sessions apart).
    public var repository: String

    /// The repository path of `up`'s artifact in the registry.
    public static let defaultRepository = "rollout-e2e/apps"
    /// The artifact's moving tag, followed by the OCIRepository like a branch.
    public static let tag = "main"
    /// The registry as pods reach it (kind-config/manifests/registry), plain HTTP.
    public static let inClusterRegistry = "registry.gitops.svc.cluster.local:5000"
    /// The Flux objects in kind-config/manifests/flux-source.
    public static let ociRepositoryName = "apps"
    public static let kustomizationName = "apps"
    /// The registry's host port: the Kind port mapping of its NodePort, or the local end of a port-forward.
    public static let hostPort = 5001

    public init(workTree: String, target: ClusterTarget, repository: String = Self.defaultRepository) {
        self.workTree = workTree
        self.target = target
        self.repository = repository
    }

    /// `oci://localhost:5001/rollout-e2e/apps:main`, where the host pushes (go-containerregistry uses plain
    /// HTTP for localhost).
    public var pushURL: String { pushURL(tag: Self.tag) }

    /// Where the host pushes the artifact of branch `tag`.
    public func pushURL(tag: String) -> String { "oci://localhost:\(Self.hostPort)/\(repository):\(tag)" }

    /// The artifact's URL for an OCIRepository in the cluster (no tag: that is `spec.ref.tag`).
    public var inClusterURL: String { "oci://\(Self.inClusterRegistry)/\(repository)" }

    /// With `--kubeconfig` the registry is reached through this port-forward while pushing.
    public var portForward: Command? {
        guard case .kubeconfig = target else { return nil }
        return Command(
            "kubectl",
            target.kubectlFlags + [
                "--namespace", "gitops", "port-forward", "service/registry", "\(Self.hostPort):5000",
            ]
        )
    }

    public var initCommand: Command { Command("git", ["init", "--quiet", "--initial-branch=main", workTree]) }

    /// Stages everything, deletions included.
    public var addCommand: Command { Command("git", ["-C", workTree, "add", "--all"]) }

    /// Commits as the harness; `--allow-empty` so every requested commit yields a new revision.
    public func commitCommand(message: String) -> Command {
        Command(
            "git",
            [
                "-C", workTree, "-c", "user.name=rollout-e2e", "-c", "user.email=rollout-e2e@localhost",
                "commit", "--quiet", "--allow-empty", "--message", message,
            ]
        )
    }

    public var revisionCommand: Command { Command("git", ["-C", workTree, "rev-parse", "HEAD"]) }

    /// `flux push artifact` of the work tree (or of `path`, a copy of it prepared for the cluster) with its git
    /// revision (kind-stack.md §4.4).
    public func pushCommand(revision: String, tag: String = Self.tag, path: String? = nil) -> Command {
        Command(
            "flux",
            [
                "push", "artifact", pushURL(tag: tag), "--path=\(path ?? workTree)", "--source=file://\(workTree)",
                "--revision=\(tag)@sha1:\(revision)",
            ]
        )
    }

    /// Asks Flux to reconcile `resource` now; `token` comes back as `.status.lastHandledReconcileAt`
    /// (kind-stack.md §4.3).
    public func reconcileRequest(_ resource: String, token: String, namespace: String = "flux-system") -> Command {
        Command(
            "kubectl",
            target.kubectlFlags + [
                "--namespace", namespace, "annotate", FieldManagers.keptByFluxFlag, "--overwrite",
                resource, "reconcile.fluxcd.io/requestedAt=\(token)",
            ]
        )
    }

    /// Waits until Flux has handled the request `token` on `resource`.
    public func handledWait(_ resource: String, token: String, timeout: Duration, namespace: String = "flux-system")
        -> Command
    {
        Command(
            "kubectl",
            target.kubectlFlags + [
                "--namespace", namespace, "wait", resource,
                "--for=jsonpath={.status.lastHandledReconcileAt}=\(token)", "--timeout=\(timeout.formattedSeconds)",
            ]
        )
    }

    /// Waits until `resource` is Ready (source fetched, or Kustomization applied).
    public func readyWait(_ resource: String, timeout: Duration, namespace: String = "flux-system") -> Command {
        Command(
            "kubectl",
            target.kubectlFlags + [
                "--namespace", namespace, "wait", resource, "--for=condition=ready",
                "--timeout=\(timeout.formattedSeconds)",
            ]
        )
    }

    public var ociRepository: String { "ocirepository/\(Self.ociRepositoryName)" }
    public var kustomization: String { "kustomization/\(Self.kustomizationName)" }
}
