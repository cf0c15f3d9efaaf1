import Foundation
import KindBackend
import Testing

/// Runs `git` for real and records everything else (flux, kubectl), so the GitOps work tree is exercised
/// without a cluster.
final class GitOnlyRunner: CommandRunner {
    private let git = SubprocessRunner(
        discovery: ToolDiscovery(searchPath: "/usr/local/bin:/usr/bin:/bin"),
        log: { _ in }
    )
    let recording = RecordingCommandRunner()

    func run(_ command: Command, timeout: Duration, streaming: Bool) async throws -> CommandResult {
        command.executable == "git"
            ? try await git.run(command, timeout: timeout, streaming: streaming)
            : try await recording.run(command, timeout: timeout, streaming: streaming)
    }

    func withBackground<T: Sendable>(_ command: Command, body: @Sendable () async throws -> T) async throws -> T {
        try await recording.withBackground(command, body: body)
    }
}

@Suite("The GitOps work tree with real git")
struct GitOpsWorkTreeIntegrationTests {
    func git(_ tree: String, _ arguments: [String]) async throws -> String {
        let runner = SubprocessRunner(discovery: ToolDiscovery(searchPath: "/usr/bin:/bin"), log: { _ in })
        let result = try await runner.run(
            Command("git", ["-C", tree] + arguments),
            timeout: .seconds(30),
            streaming: false
        )
        #expect(result.succeeded, "git \(arguments): \(result.errorOutput)")
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("up's GitOps steps commit podinfo on main and push the real revision; branches stay apart")
    func workTree() async throws {
        #expect(
            ToolDiscovery(searchPath: "/usr/bin:/bin").locate("git") != nil,
            "git is needed: apt-get install -y git"
        )
        let work = try temporaryDirectory("gitops")
        let config = try repositoryConfig()
        let runner = GitOnlyRunner()
        let backend = KindBackend(
            config: config,
            target: .kind(name: "rollout-e2e"),
            workDirectory: work,
            runner: runner,
            now: fixedNow
        )
        let steps = backend.planner.upPlan().filter { $0.phase == .gitops }
        #expect(steps.map(\.id).first == "gitops-init")
        _ = try await backend.execute(steps)
        let tree = work + "/gitops"
        let head = try await git(tree, ["rev-parse", "HEAD"])
        #expect(try await git(tree, ["rev-parse", "--abbrev-ref", "HEAD"]) == "main")
        #expect(
            try await git(tree, ["ls-files"]).split(separator: "\n").sorted() == [
                "canary.yaml", "deployment.yaml", "ingress.yaml", "kustomization.yaml",
            ]
        )
        let push = try #require(runner.recording.commands.first { $0.words.starts(with: ["flux", "push"]) })
        #expect(push.arguments.last == "--revision=main@sha1:\(head)")

        // A scenario commits a new file on a new branch: main does not get it.
        let staging = try await backend.commit(
            files: ["staging.yaml": "a: 1\n"],
            message: "staging only",
            branch: "staging"
        )
        #expect(try await git(tree, ["rev-parse", "staging"]) == staging)
        #expect(try await git(tree, ["rev-parse", "staging~1"]) == head)
        let main = try await backend.commit(
            files: ["deployment.yaml": "kind: Deployment\n"],
            message: "bump",
            branch: "main"
        )
        #expect(try await git(tree, ["rev-parse", "main~1"]) == head)
        #expect(!(try await git(tree, ["ls-files"])).contains("staging.yaml"))
        let pushes = runner.recording.commands.filter { $0.words.starts(with: ["flux", "push"]) }.map {
            $0.arguments.last
        }
        #expect(
            pushes == [
                "--revision=main@sha1:\(head)", "--revision=staging@sha1:\(staging)", "--revision=main@sha1:\(main)",
            ]
        )

        // Re-running up's steps (a second `up`) commits on main again, whatever was checked out.
        try await backend.switchBranch("staging")
        _ = try await backend.execute(steps)
        #expect(try await git(tree, ["rev-parse", "--abbrev-ref", "HEAD"]) == "main")
        #expect(try await git(tree, ["rev-parse", "main~1"]) == main)
    }
}
