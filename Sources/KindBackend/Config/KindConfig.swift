import Foundation

/// The `kind-config/` directory: cluster config, version pins, Helm values and the manifests the backend applies.
public struct KindConfig: Sendable {
    /// The directory's absolute path.
    public var directory: String
    public var versions: StackVersions

    /// The environment variable that points at a `kind-config/` elsewhere than the working directory.
    public static let environmentVariable = "ROLLOUT_E2E_KIND_CONFIG"

    /// Reads `versions.yaml` in `directory`.
    public init(directory: String) throws(KindBackendError) {
        let absolute = URL(fileURLWithPath: directory).standardizedFileURL.path
        self.directory = absolute
        let file = absolute + "/versions.yaml"
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw KindBackendError(.invalidConfig, "cannot read \(file): is \(absolute) the repository's kind-config/?")
        }
        versions = try StackVersions.parse(text, file: file)
    }

    /// Finds `kind-config/`: `$ROLLOUT_E2E_KIND_CONFIG`, else in the working directory or one of its parents.
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        from start: String = FileManager.default.currentDirectoryPath
    ) throws(KindBackendError) -> KindConfig {
        if let explicit = environment[environmentVariable], !explicit.isEmpty {
            return try KindConfig(directory: explicit)
        }
        var directory = URL(fileURLWithPath: start).standardizedFileURL
        while true {
            let candidate = directory.appendingPathComponent("kind-config")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("versions.yaml").path) {
                return try KindConfig(directory: candidate.path)
            }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { break }
            directory = parent
        }
        throw KindBackendError(
            .invalidConfig,
            "kind-config/versions.yaml not found in \(start) or its parents; run from the repository or set "
                + "\(environmentVariable) to its kind-config directory"
        )
    }

    /// `kind-config/cluster.yaml`, the `kind.x-k8s.io/v1alpha4` cluster config.
    public var clusterFile: String { directory + "/cluster.yaml" }

    /// `kind-config/helm/<chart>.values.yaml`.
    public func helmValues(_ chart: String) -> String { directory + "/helm/\(chart).values.yaml" }

    /// `kind-config/manifests/<name>`, a kustomize directory.
    public func manifests(_ name: String) -> String { directory + "/manifests/\(name)" }

    /// Every kustomize directory under `manifests/`, sorted.
    public func manifestDirectories() -> [String] {
        let root = directory + "/manifests"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.sorted().map { root + "/" + $0 }.filter {
            FileManager.default.fileExists(atPath: $0 + "/kustomization.yaml")
        }
    }
}
