import Foundation

/// Finds the tools the kind backend needs on a PATH, and checks that Docker's daemon answers.
///
/// Everything missing is reported at once, each tool with its pinned version and install command, so one
/// message fixes the machine (DESIGN.md §4: exit 3 says how to install what is missing).
public struct ToolDiscovery: Sendable {
    /// The `PATH` searched, colon-separated.
    public var searchPath: String

    public init(searchPath: String) {
        self.searchPath = searchPath
    }

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(searchPath: environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
    }

    /// The absolute path of `name` on the search path, if it is an executable file there.
    public func locate(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        for directory in searchPath.split(separator: ":", omittingEmptySubsequences: true) {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// The tools of `tools` that are not on the search path.
    public func missing(_ tools: [Tool]) -> [Tool] {
        tools.filter { locate($0.rawValue) == nil }
    }

    /// Checks that every tool of `target` is installed and, for a Kind cluster, that Docker's daemon answers.
    ///
    /// - Throws: ``KindBackendError`` `.missingTools` naming each missing tool, its pinned version and how to
    ///   install it (plus Docker's state when that is wrong too), or `.dockerUnavailable`.
    /// `tools` narrows the check (for example `down` needs only kind); Docker is checked when it is among them.
    public func check(
        for target: ClusterTarget,
        versions: StackVersions,
        runner: any CommandRunner,
        tools: [Tool]? = nil
    ) async throws(KindBackendError) {
        let needed = tools ?? Tool.required(for: target)
        let missing = missing(needed)
        var dockerProblem: String?
        if needed.contains(.docker), !missing.contains(.docker) {
            dockerProblem = await Self.dockerDaemonProblem(runner: runner)
        }
        if !missing.isEmpty {
            var lines = ["the kind backend needs tools that are not on PATH:"]
            for tool in missing {
                let version = tool.pinnedVersion(versions).map { " \($0)" } ?? ""
                lines.append("  - \(tool.rawValue)\(version): \(tool.installHint(versions))")
            }
            if let dockerProblem { lines.append("and \(dockerProblem)") }
            lines.append("(pins: kind-config/versions.yaml; or use --dry-run to print the plan without them)")
            throw KindBackendError(.missingTools, lines.joined(separator: "\n"))
        }
        if let dockerProblem {
            throw KindBackendError(.dockerUnavailable, dockerProblem)
        }
    }

    /// Asks the daemon for its version; returns what is wrong, or nil when Docker answers.
    ///
    /// kind only checks the docker *client* and fails later with "failed to get docker info" (kind-stack.md §1.9),
    /// so the backend asks first and says plainly what to do.
    public static func dockerDaemonProblem(runner: any CommandRunner) async -> String? {
        let command = Command("docker", ["info", "--format", "{{.ServerVersion}}"])
        let result: CommandResult
        do {
            result = try await runner.run(command, timeout: .seconds(30), streaming: false)
        } catch {
            return "Docker did not answer `docker info`: \(error)"
        }
        if result.succeeded { return nil }
        let output = (result.errorOutput + "\n" + result.output).trimmingCharacters(in: .whitespacesAndNewlines)
        if output.contains("permission denied") {
            return "Docker is installed but this user may not use its daemon (\(firstLine(output))); "
                + "add the user to the docker group: sudo usermod -aG docker $USER, then log in again"
        }
        return "Docker is installed but its daemon is not running (`docker info`: \(firstLine(output))); "
            + "start it: sudo systemctl start docker (or start Docker Desktop)"
    }

    private static func firstLine(_ text: String) -> String {
        let line = text.split(separator: "\n").first.map(String.init) ?? ""
        return line.isEmpty ? "no output" : line
    }
}
