import Foundation
import TestSupport
import Testing

@testable import LocalBackend

/// The source poll's fast path reads a local repository's branch head from its files; it must name the commit git
/// names, for loose and packed refs, bare and non-bare repositories, and give up (nil, so git is asked) otherwise.
@Suite struct GitBranchHeadTests {
    private func git(_ arguments: [String], in directory: String) throws -> String {
        let result = try runCommand(
            "/usr/bin/env",
            ["git", "-C", directory, "-c", "user.name=t", "-c", "user.email=t@example.com"] + arguments
        )
        #expect(result.status == 0, "git \(arguments): \(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func readsWhatGitNamesForLooseAndPackedRefs() throws {
        let root = NSTemporaryDirectory() + "rollout-branch-head-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let work = root + "/work"
        let bare = root + "/bare.git"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        _ = try git(["init", "--quiet", "--initial-branch", "main"], in: work)
        try "a".write(toFile: work + "/a.txt", atomically: true, encoding: .utf8)
        _ = try git(["add", "a.txt"], in: work)
        _ = try git(["commit", "--quiet", "-m", "first"], in: work)
        _ = try git(["branch", "staging"], in: work)
        _ = try git(["clone", "--quiet", "--bare", work, bare], in: root)

        let head = try git(["rev-parse", "main"], in: work)
        #expect(GitOpsController.localBranchHead(repository: work, branch: "main") == head)
        #expect(GitOpsController.localBranchHead(repository: bare, branch: "staging") == head)

        // A new commit moves the loose ref; packing moves it into packed-refs.
        try "b".write(toFile: work + "/a.txt", atomically: true, encoding: .utf8)
        _ = try git(["commit", "--quiet", "-am", "second"], in: work)
        let second = try git(["rev-parse", "main"], in: work)
        #expect(second != head)
        #expect(GitOpsController.localBranchHead(repository: work, branch: "main") == second)
        _ = try git(["pack-refs", "--all"], in: work)
        #expect(!FileManager.default.fileExists(atPath: work + "/.git/refs/heads/main"))
        #expect(GitOpsController.localBranchHead(repository: work, branch: "main") == second)
        #expect(GitOpsController.localBranchHead(repository: work, branch: "staging") == head)

        #expect(GitOpsController.localBranchHead(repository: work, branch: "nope") == nil)
        #expect(GitOpsController.localBranchHead(repository: "https://example.com/repo.git", branch: "main") == nil)
        #expect(GitOpsController.localBranchHead(repository: root + "/missing", branch: "main") == nil)
    }
}
