import Foundation

/// The git repository the harness serves to the GitOps controller, as the user's pipeline has it: a bare repository
/// with branches `main` and `staging`, seeded from a directory, and a working clone the harness commits through.
public struct HarnessRepository: Sendable {
    /// The bare repository (what a GitRepository's `url` points at).
    public let url: String
    let workingCopy: String
    let runner: CommandRunner
    let gitPath: String

    /// Creates the repository under `root` with `seed`'s files (or `files` when given) committed on `main` and
    /// `staging`.
    public static func create(
        root: String,
        gitPath: String,
        scratchDirectory: String,
        seed files: [String: String],
        branches: [String] = ["main", "staging"]
    ) async throws -> HarnessRepository {
        let branches = branches.isEmpty ? ["main"] : branches
        let defaultBranch = branches[0]
        let environment = [
            "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": root, "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "rollout-e2e", "GIT_AUTHOR_EMAIL": "rollout-e2e@localhost",
            "GIT_COMMITTER_NAME": "rollout-e2e", "GIT_COMMITTER_EMAIL": "rollout-e2e@localhost",
        ]
        let runner = CommandRunner(scratchDirectory: scratchDirectory, environment: environment)
        let bare = root + "/app.git"
        let work = root + "/work"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try await runner.check(gitPath, ["init", "--quiet", "--bare", "--initial-branch=\(defaultBranch)", bare])
        try await runner.check(gitPath, ["init", "--quiet", "--initial-branch=\(defaultBranch)", work])
        try await runner.check(gitPath, ["-C", work, "remote", "add", "origin", bare])
        let repository = HarnessRepository(url: bare, workingCopy: work, runner: runner, gitPath: gitPath)
        try await repository.commit(files: files, branch: defaultBranch, message: "seed from scenarios")
        for branch in branches.dropFirst() {
            try await runner.check(gitPath, ["-C", work, "push", "--quiet", "origin", "\(defaultBranch):\(branch)"])
        }
        return repository
    }

    /// Writes `files` (path → content; nil deletes) on `branch`, commits and pushes; returns the commit sha.
    @discardableResult
    public func commit(files: [String: String?], branch: String = "main", message: String) async throws -> String {
        let git = gitPath
        let hasHead = try await runner.run(git, ["-C", workingCopy, "rev-parse", "--verify", "--quiet", "HEAD"])
            .succeeded
        if hasHead {
            try await runner.check(git, ["-C", workingCopy, "fetch", "--quiet", "origin"])
            let remoteHasBranch = try await runner.run(
                git,
                ["-C", workingCopy, "rev-parse", "--verify", "--quiet", "origin/\(branch)"]
            ).succeeded
            if remoteHasBranch {
                try await runner.check(
                    git,
                    ["-C", workingCopy, "checkout", "--quiet", "--force", "-B", branch, "origin/\(branch)"]
                )
            } else {
                try await runner.check(git, ["-C", workingCopy, "checkout", "--quiet", "--force", "-B", branch])
            }
        }
        for (path, content) in files.sorted(by: { $0.key < $1.key }) {
            let full = workingCopy + "/" + path
            if let content {
                try FileManager.default.createDirectory(
                    atPath: URL(fileURLWithPath: full).deletingLastPathComponent().path,
                    withIntermediateDirectories: true
                )
                try content.write(toFile: full, atomically: true, encoding: .utf8)
            } else {
                try? FileManager.default.removeItem(atPath: full)
            }
        }
        try await runner.check(git, ["-C", workingCopy, "add", "--all"])
        try await runner.check(git, ["-C", workingCopy, "commit", "--quiet", "--allow-empty", "-m", message])
        try await runner.check(git, ["-C", workingCopy, "push", "--quiet", "origin", "HEAD:\(branch)"])
        return try await runner.check(git, ["-C", workingCopy, "rev-parse", "HEAD"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Merges `source` into `target` (a merge commit when they diverged) and pushes; returns the new head.
    @discardableResult
    public func merge(from source: String, into target: String, message: String) async throws -> String {
        let git = gitPath
        try await runner.check(git, ["-C", workingCopy, "fetch", "--quiet", "origin"])
        try await runner.check(
            git,
            ["-C", workingCopy, "checkout", "--quiet", "--force", "-B", target, "origin/\(target)"]
        )
        try await runner.check(
            git,
            ["-C", workingCopy, "merge", "--quiet", "--no-edit", "-m", message, "origin/\(source)"]
        )
        try await runner.check(git, ["-C", workingCopy, "push", "--quiet", "origin", "HEAD:\(target)"])
        return try await runner.check(git, ["-C", workingCopy, "rev-parse", "HEAD"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The content of `path` on `branch` as pushed, nil when it does not exist there.
    public func file(_ path: String, branch: String) async throws -> String? {
        try await runner.check(gitPath, ["-C", workingCopy, "fetch", "--quiet", "origin"])
        let output = try await runner.run(gitPath, ["-C", workingCopy, "show", "origin/\(branch):\(path)"])
        return output.succeeded ? output.stdout : nil
    }

    /// Every file under `directory` (relative path → content), for seeding.
    public static func files(in directory: String) -> [String: String] {
        var out: [String: String] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return out }
        while let relative = enumerator.nextObject() as? String {
            let full = directory + "/" + relative
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue,
                let text = try? String(contentsOfFile: full, encoding: .utf8)
            else { continue }
            out[relative] = text
        }
        return out
    }
}
