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

    /// The registry's host as the host pushes to it: `localhost` (a NodePort mapping or a port-forward), or the
    /// remote Docker daemon's host (``DockerHost``).
    public var registryHost = "localhost"
    /// Push over plain HTTP to a host go-containerregistry would otherwise use HTTPS for (`--insecure-registry`,
    /// flux2 v2.9.4 cmd/flux/push_artifact.go:140; the automatic fallback covers only localhost and private IPs).
    public var insecureRegistry = false

    public init(workTree: String, target: ClusterTarget, repository: String = Self.defaultRepository) {
        self.workTree = workTree
        self.target = target
        self.repository = repository
    }

    /// `oci://localhost:5001/rollout-e2e/apps:main`, where the host pushes (go-containerregistry uses plain
    /// HTTP for localhost).
    public var pushURL: String { pushURL(tag: Self.tag) }

    /// Where the host pushes the artifact tagged `tag` (a branch's is ``artifactTag(branch:)``).
    public func pushURL(tag: String) -> String { "oci://\(registryHost):\(Self.hostPort)/\(repository):\(tag)" }

    /// The OCI tag of `branch`'s artifact, the one its OCIRepository follows: the branch name where it already is
    /// a tag (`main`), else the name in the tag grammar `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}` (OCI distribution
    /// spec) — every other character becomes `-`, a leading `.` or `-` gets a `_` before it, at most 128
    /// characters — followed by `-` and a hash of the branch name, so that `release/x` and `release-x` stay two
    /// artifacts.
    public static func artifactTag(branch: String) -> String {
        let maxLength = 128
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        var tag = String(branch.map { allowed.contains($0) ? $0 : "-" })
        if tag.first.map({ $0 == "." || $0 == "-" }) ?? true { tag = "_" + tag }
        guard tag != branch || tag.count > maxLength else { return tag }
        let suffix = "-" + disambiguator(branch)
        return String(tag.prefix(maxLength - suffix.count)) + suffix
    }

    /// Eight hex digits of the FNV-1a 64-bit hash of `name`'s UTF-8: a name disambiguator, not a cryptographic
    /// hash (nothing here needs to resist a chosen collision), stable across runs and platforms.
    static func disambiguator(_ name: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash >> 32, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

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

    /// `flux push artifact` of the work tree (or of `path`, a copy of it prepared for the cluster) at `branch`'s
    /// commit `revision` (kind-stack.md §4.4): tagged ``artifactTag(branch:)``, while the revision keeps the real
    /// branch name, as Flux writes a git revision (`<branch>@sha1:<commit>`).
    public func pushCommand(revision: String, branch: String = Self.tag, path: String? = nil) -> Command {
        Command(
            "flux",
            [
                "push", "artifact", pushURL(tag: Self.artifactTag(branch: branch)), "--path=\(path ?? workTree)",
                "--source=file://\(workTree)", "--revision=\(branch)@sha1:\(revision)",
            ] + (insecureRegistry ? ["--insecure-registry"] : [])
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
