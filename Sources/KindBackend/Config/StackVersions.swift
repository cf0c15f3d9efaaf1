import YAML

/// Every pinned version of the kind backend's stack, read from `kind-config/versions.yaml` (DESIGN.md §8).
///
/// The pins come from kind-stack.md §0; nothing here may say `latest`.
public struct StackVersions: Decodable, Sendable, Hashable {
    /// The CLIs the backend drives, at the versions the nightly job installs.
    public struct Tools: Decodable, Sendable, Hashable {
        public var kind: String
        public var kubectl: String
        public var helm: String
        public var flux: String
    }

    /// The Kind cluster.
    public struct Cluster: Decodable, Sendable, Hashable {
        public var name: String
        /// `kindest/node:vX.Y.Z@sha256:…`, pinned by digest (kind-stack.md §1.4).
        public var nodeImage: String
    }

    /// The ingress-nginx Helm chart and the images it runs.
    public struct IngressNginx: Decodable, Sendable, Hashable {
        public var chart: String
        public var chartRepository: String
        public var controllerImage: String
        public var webhookCertgenImage: String
    }

    /// Flux, installed with `flux install --version`.
    public struct Flux: Decodable, Sendable, Hashable {
        public var version: String
        public var components: [String]
    }

    /// The Flagger and loadtester charts and images.
    public struct Flagger: Decodable, Sendable, Hashable {
        public var chart: String
        public var chartRepository: String
        public var image: String
        public var prometheusImage: String
        public var loadtesterChart: String
        public var loadtesterImage: String
    }

    /// The workloads' images.
    public struct Apps: Decodable, Sendable, Hashable {
        public var podinfoImage: String
        public var redisImage: String
        public var registryImage: String
    }

    public var tools: Tools
    public var cluster: Cluster
    public var ingressNginx: IngressNginx
    public var flux: Flux
    public var flagger: Flagger
    public var apps: Apps

    /// Parses `versions.yaml`; errors carry `file:line:col`.
    public static func parse(_ text: String, file: String) throws(KindBackendError) -> StackVersions {
        do {
            return try YAMLDecoder(file: file).decode(StackVersions.self, from: text)
        } catch {
            throw KindBackendError(.invalidConfig, "\(error)")
        }
    }

    /// Every image reference pinned here, for checks that no pin is `latest` or unversioned.
    public var images: [String] {
        [
            cluster.nodeImage, ingressNginx.controllerImage, ingressNginx.webhookCertgenImage, flagger.image,
            flagger.prometheusImage, flagger.loadtesterImage, apps.podinfoImage, apps.redisImage, apps.registryImage,
        ]
    }

    /// The Kubernetes version of the node image (`v1.35.1` of `kindest/node:v1.35.1@sha256:…`).
    public var kubernetesVersion: String {
        let reference = cluster.nodeImage.split(separator: "@").first.map(String.init) ?? cluster.nodeImage
        return reference.split(separator: ":").last.map(String.init) ?? reference
    }
}
