import CurlHTTP
import Foundation
import YAML

/// Where the Docker daemon that runs the Kind node is, seen from the harness: it decides where the cluster's
/// published ports are and how pods reach the alert receiver and webhook recorder the harness runs.
///
/// - ``local``: Docker Engine on this machine (Linux). Ports are published on 127.0.0.1; pods reach the host at the
///   `kind` network's gateway address, and the harness listens there.
/// - ``desktop``: Docker Desktop (macOS, Windows). The `kind` network and its gateway live inside Desktop's VM, so
///   the harness cannot listen there (kind's known issues: node IPs are not reachable from the host). Docker Desktop
///   names the host `host.docker.internal` to containers; kind's node passes Docker's DNS on to CoreDNS, so pods
///   resolve it too. The harness listens on 127.0.0.1, which Desktop forwards `host.docker.internal` to.
/// - ``remote(host:)``: `DOCKER_HOST=tcp://docker:2375`, the `docker:dind` service of a GitLab CI job. The node's
///   ports are published on that host, not on localhost: the API server (`networking.apiServerAddress: 0.0.0.0`,
///   port 6443, the host added to the certificate's SANs, the kubeconfig's server rewritten), the ingress and the
///   registry (`flux push --insecure-registry`: go-containerregistry uses plain HTTP unasked only for localhost and
///   private IPs). Pods reach the harness at this machine's own address on the route to that host (the dind
///   container's traffic leaves through the job's network).
public enum DockerHost: Sendable, Hashable, CustomStringConvertible {
    case local
    case desktop
    case remote(host: String)

    /// `docker info --format '{{.OperatingSystem}}'` says this on Docker Desktop.
    public static let desktopMarker = "Docker Desktop"
    /// The name Docker Desktop gives the host inside containers.
    public static let desktopHostName = "host.docker.internal"
    /// The API server's fixed host port when the daemon is remote (so the kubeconfig can name it).
    public static let remoteAPIServerPort = 6443

    /// The remote host `DOCKER_HOST` names (`tcp://docker:2375`, `ssh://user@build-host`), or nil for a local
    /// socket or a loopback address.
    public static func remoteHost(environment: [String: String]) -> String? {
        guard let value = environment["DOCKER_HOST"], let parts = URLParts(value),
            ["tcp", "ssh", "http", "https"].contains(parts.scheme),
            !["localhost", "127.0.0.1", "::1"].contains(parts.host.lowercased())
        else { return nil }
        return parts.host
    }

    /// From `DOCKER_HOST` and, when that names no remote host, `docker info`'s operating system (nil: not asked).
    public static func detect(environment: [String: String], operatingSystem: String?) -> DockerHost {
        if let host = remoteHost(environment: environment) { return .remote(host: host) }
        if let operatingSystem, operatingSystem.contains(desktopMarker) { return .desktop }
        return .local
    }

    /// Where the node's published ports answer from this machine.
    public var publishedHost: String {
        if case .remote(let host) = self { return host }
        return "127.0.0.1"
    }

    /// The host `flux push` names the registry by: `localhost` (plain HTTP without asking) or the remote host.
    public var registryHost: String {
        if case .remote(let host) = self { return host }
        return "localhost"
    }

    /// Whether the push must say `--insecure-registry` (the registry speaks plain HTTP).
    public var registryIsInsecure: Bool {
        if case .remote = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .local: "Docker Engine on this machine"
        case .desktop: "Docker Desktop"
        case .remote(let host): "the Docker daemon at \(host) (DOCKER_HOST)"
        }
    }

    /// `cluster.yaml` as kind must get it for this daemon: unchanged unless remote, where the port mappings listen
    /// on every address of the daemon's host, the API server listens on 0.0.0.0:6443 and its certificate also
    /// names the host (kind v0.32.0 appends SANs from `kubeadmConfigPatches` to its defaults).
    public func clusterConfig(_ text: String, file: String) throws -> String? {
        guard case .remote(let host) = self else { return nil }
        let documents: [YAMLDocument]
        do {
            documents = try YAMLParser.parse(text, file: file)
        } catch {
            throw KindBackendError(.invalidConfig, "\(error)")
        }
        guard case .mapping(var pairs, let mark) = documents.first?.node else {
            throw KindBackendError(.invalidConfig, "\(file): not a kind Cluster mapping")
        }
        func scalar(_ value: String) -> Node { .scalar(Scalar(value: value)) }
        func pair(_ key: String, _ value: Node) -> Pair { Pair(key: scalar(key), value: value) }
        pairs.removeAll { $0.key.scalarValue == "networking" }
        pairs.append(
            pair(
                "networking",
                .mapping(
                    [
                        pair("apiServerAddress", scalar("0.0.0.0")),
                        pair("apiServerPort", scalar(String(Self.remoteAPIServerPort))),
                    ],
                    mark: mark
                )
            )
        )
        let sans = """
            kind: ClusterConfiguration
            apiServer:
              certSANs:
                - "\(host)"

            """
        let patch = Node.scalar(Scalar(value: sans, style: .literal))
        let cluster = Node.mapping(pairs, mark: mark).replacing(["nodes"]) { nodes in
            guard case .sequence(let items, let nodesMark) = nodes else { return nodes }
            let rewritten = items.enumerated().map { index, node -> Node in
                let node = node.replacing(["extraPortMappings"]) { mappings in
                    guard case .sequence(let items, let itemsMark) = mappings else { return mappings }
                    return .sequence(
                        items.map { $0.replacing(["listenAddress"]) { _ in scalar("0.0.0.0") } },
                        mark: itemsMark
                    )
                }
                guard index == 0, node.pairs != nil else { return node }
                let patches = node["kubeadmConfigPatches"]
                return node.setting(
                    ["kubeadmConfigPatches"],
                    to: .sequence((patches?.items ?? []) + [patch], mark: patches?.mark ?? node.mark)
                )
            }
            return .sequence(rewritten, mark: nodesMark)
        }
        return Node.yamlStream([cluster])
    }
}
