/// A command-line tool the kind backend drives, with the version it is pinned to and how to install it.
public enum Tool: String, CaseIterable, Sendable, Hashable {
    case docker, kind, kubectl, helm, flux, git

    /// The tools a run needs: with `--kubeconfig` there is no Kind cluster, so neither Docker nor kind.
    public static func required(for target: ClusterTarget) -> [Tool] {
        switch target {
        case .kind: [.docker, .kind, .kubectl, .helm, .flux, .git]
        case .kubeconfig: [.kubectl, .helm, .flux, .git]
        }
    }

    /// The pinned version from `versions.yaml`, when the stack pins one.
    public func pinnedVersion(_ versions: StackVersions) -> String? {
        switch self {
        case .kind: versions.tools.kind
        case .kubectl: versions.tools.kubectl
        case .helm: versions.tools.helm
        case .flux: versions.tools.flux
        case .docker, .git: nil
        }
    }

    /// One command (Linux amd64) that installs the pinned version into /usr/local/bin.
    public func installHint(_ versions: StackVersions) -> String {
        switch self {
        case .docker:
            return "install Docker Engine (https://docs.docker.com/engine/install/) and start it"
        case .git:
            return "apt-get install -y git"
        case .kind:
            let v = versions.tools.kind
            return "curl -fsSLo /usr/local/bin/kind https://kind.sigs.k8s.io/dl/\(v)/kind-linux-amd64 "
                + "&& chmod +x /usr/local/bin/kind"
        case .kubectl:
            let v = versions.tools.kubectl
            return "curl -fsSLo /usr/local/bin/kubectl https://dl.k8s.io/release/\(v)/bin/linux/amd64/kubectl "
                + "&& chmod +x /usr/local/bin/kubectl"
        case .helm:
            let v = versions.tools.helm
            return "curl -fsSL https://get.helm.sh/helm-\(v)-linux-amd64.tar.gz "
                + "| tar -xz -C /usr/local/bin --strip-components=1 linux-amd64/helm"
        case .flux:
            let v = versions.tools.flux.hasPrefix("v") ? String(versions.tools.flux.dropFirst()) : versions.tools.flux
            return "curl -fsSL https://github.com/fluxcd/flux2/releases/download/v\(v)/flux_\(v)_linux_amd64.tar.gz "
                + "| tar -xz -C /usr/local/bin flux"
        }
    }
}
