import Foundation

/// The system binaries the local stack runs, found on `PATH` (plus `/usr/sbin`, where Debian puts nginx) before
/// anything starts, so a missing one is reported with its install command instead of failing half-way.
public struct RequiredBinaries: Sendable {
    public var nginx: String
    public var prometheus: String
    public var redisServer: String
    public var git: String
    public var kubectl: String

    /// One binary the stack needs and the Debian package that provides it.
    public struct Requirement: Sendable {
        public var name: String
        public var installHint: String
    }

    public static let requirements: [Requirement] = [
        Requirement(name: "nginx", installHint: "apt-get install -y nginx-light"),
        Requirement(name: "prometheus", installHint: "apt-get install -y prometheus"),
        Requirement(name: "redis-server", installHint: "apt-get install -y redis-server"),
        Requirement(name: "git", installHint: "apt-get install -y git"),
        Requirement(
            name: "kubectl",
            installHint: "install kubectl (https://kubernetes.io/docs/tasks/tools/) — it renders kustomizations"
        ),
    ]

    /// Finds every binary; throws one error naming all that are missing, each with its install command.
    public static func locate(searchPath: String? = ProcessInfo.processInfo.environment["PATH"]) throws -> Self {
        var found: [String: String] = [:]
        var missing: [String] = []
        for requirement in requirements {
            if let path = find(requirement.name, searchPath: searchPath) {
                found[requirement.name] = path
            } else {
                missing.append("\(requirement.name) is not installed; install with: \(requirement.installHint)")
            }
        }
        guard missing.isEmpty else {
            throw LocalBackendError(.missingBinary, missing.joined(separator: "\n"))
        }
        return Self(
            nginx: found["nginx"] ?? "",
            prometheus: found["prometheus"] ?? "",
            redisServer: found["redis-server"] ?? "",
            git: found["git"] ?? "",
            kubectl: found["kubectl"] ?? ""
        )
    }

    /// The absolute path of `name` in `searchPath` (then `/usr/sbin`, `/sbin`), if executable.
    public static func find(_ name: String, searchPath: String?) -> String? {
        if name.hasPrefix("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let directories =
            (searchPath ?? "/usr/bin:/bin").split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin"]
        for directory in directories where !directory.isEmpty {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
