import Foundation
import KindBackend
import Testing
import YAML

/// The repository's root, found from this file's path (tests run from anywhere).
let repositoryRoot: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .path

/// The repository's `kind-config/`.
func repositoryConfig() throws -> KindConfig {
    try KindConfig(directory: repositoryRoot + "/kind-config")
}

/// How to install kubectl on a machine like this one (it came from the Google Cloud SDK apt repository, not
/// Debian); `requireBinary` prefixes it with `apt-get install -y`.
let kubectlInstallHint =
    "kubectl  # from the Google Cloud SDK apt repository (deb https://packages.cloud.google.com/apt "
    + "cloud-sdk main), or the pinned binary: curl -fsSLo /usr/local/bin/kubectl "
    + "https://dl.k8s.io/release/v1.35.1/bin/linux/amd64/kubectl && chmod +x /usr/local/bin/kubectl"

/// A fresh temporary directory.
func temporaryDirectory(_ label: String) throws -> String {
    let path = NSTemporaryDirectory() + "kind-tests-\(label)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A directory of fake tools: each prints `output` to stderr and exits with `status`.
func fakeTools(_ tools: [String: (status: Int, stderr: String)]) throws -> String {
    let directory = try temporaryDirectory("bin")
    for (name, behaviour) in tools {
        let path = directory + "/" + name
        let escaped = behaviour.stderr.replacingOccurrences(of: "'", with: "'\\''")
        let script = "#!/bin/sh\nprintf '%s\\n' '\(escaped)' >&2\nexit \(behaviour.status)\n"
        try Data(script.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }
    return directory
}

/// Docker's client answer when its daemon is down (kind-stack.md §1.9).
let dockerDaemonDown =
    "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"

/// A fixed clock for reconcile tokens.
let fixedNow: @Sendable () -> Date = { Date(timeIntervalSince1970: 1_800_000_000) }

/// A backend on a recording runner, for checking exact commands.
func recordingBackend(
    target: ClusterTarget? = nil,
    workDirectory: String = "/tmp/rollout-e2e-test/kind",
    responder: @escaping @Sendable (Command) -> CommandResult = { _ in CommandResult() }
) throws -> (KindBackend, RecordingCommandRunner) {
    let config = try repositoryConfig()
    let runner = RecordingCommandRunner(responder: responder)
    let backend = KindBackend(
        config: config,
        target: target ?? .kind(name: config.versions.cluster.name),
        workDirectory: workDirectory,
        runner: runner,
        now: fixedNow
    )
    return (backend, runner)
}

/// The first document of `text`.
func node(_ text: String) throws -> Node {
    try #require(try YAMLParser.parse(text, file: "test.yaml").first?.node)
}
