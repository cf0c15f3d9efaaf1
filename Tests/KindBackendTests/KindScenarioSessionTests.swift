import CurlHTTP
import Foundation
import ObjectModel
import Scenarios
import Synchronization
import Testing
import YAML

@testable import KindBackend

/// Writes `files` (relative path → text) into a new temporary directory and returns its path.
private func temporaryDirectory(_ label: String, files: [String: String] = [:]) throws -> String {
    let directory = NSTemporaryDirectory() + "\(label)-\(UUID().uuidString)"
    for (name, text) in files {
        let url = URL(fileURLWithPath: directory + "/" + name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    return directory
}

/// What a responder saw, kept between its calls.
private final class Notes: Sendable {
    let values = Mutex<[String: String]>([:])
}

/// A scenario session on a Kind cluster that does not exist: every command is recorded and answered by a
/// responder, so each session call is checked by the commands it would run. Git is recorded too, not run: file
/// edits happen in the work tree, commits and checkouts do not.
@Suite("A scenario session on the Kind cluster, checked command by command")
struct KindScenarioSessionTests {
    static let scenario = "promote"
    static let kubectl = ["kubectl", "--context", "kind-rollout-e2e"]
    static let revision = "0123abcd"
    static let loadtesterPod = ["--namespace", "test", "exec", "deployment/flagger-loadtester", "--"]

    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: podinfo
          labels:
            app: podinfo
        spec:
          selector:
            matchLabels:
              app: podinfo
          template:
            metadata:
              labels:
                app: podinfo
            spec:
              containers:
                - name: podinfod
                  image: ghcr.io/stefanprodan/podinfo:6.0.0
        """

    static let alertProvider = """
        apiVersion: flagger.app/v1beta1
        kind: AlertProvider
        metadata:
          name: on-call
        spec:
          type: slack
          channel: rollouts
          address: https://hooks.slack.com/services/T000/B000/XXXX
        """

    /// The Git content of the scenario: a small GitOps tree (with a `.git` of its own, which is not copied).
    static let gitContent: [String: String] = [
        ".git/HEAD": "ref: refs/heads/trunk\n",
        "apps/base/podinfo/deployment.yaml": deployment,
        "apps/base/podinfo/kustomization.yaml": "resources:\n  - deployment.yaml\n",
        "apps/test/kustomization.yaml": "namespace: test\nresources:\n  - ../base/podinfo\n  - alert-provider.yaml\n",
        "apps/test/alert-provider.yaml": alertProvider,
    ]

    /// One opened session with what a test needs to look at.
    struct Harness {
        var backend: KindBackend
        var runner: RecordingCommandRunner
        var session: KindScenarioSession
        var work: String

        var tree: String { work + "/gitops" }
        var artifact: String { work + "/artifact" }
        var commands: [Command] { runner.commands }

        /// The commands `body` ran.
        func recording(_ body: () async throws -> Void) async throws -> [Command] {
            let mark = runner.commands.count
            try await body()
            return Array(runner.commands[mark...])
        }

        var git: [String] {
            ["git", "-C", tree, "-c", "user.name=rollout-e2e", "-c", "user.email=rollout-e2e@localhost"]
        }

        func push(_ branch: String) -> [String] {
            [
                "flux", "push", "artifact",
                "oci://localhost:5001/rollout-e2e/\(KindScenarioSessionTests.scenario):"
                    + GitOpsSource.artifactTag(branch: branch),
                "--path=\(artifact)", "--source=file://\(tree)",
                "--revision=\(branch)@sha1:\(KindScenarioSessionTests.revision)",
            ]
        }
    }

    /// Answers `git rev-parse` with a revision and everything else with success and no output.
    static func answer(_ command: Command) -> CommandResult {
        command.words.contains("rev-parse") ? CommandResult(output: revision + "\n") : CommandResult()
    }

    /// A backend on the Kind cluster `rollout-e2e` whose commands `runner` records, working in `base/kind`.
    static func kindBackend(runner: RecordingCommandRunner, base: String) throws -> KindBackend {
        KindBackend(
            config: try KindConfig(directory: repositoryRoot + "/kind-config"),
            target: .kind(name: "rollout-e2e"),
            workDirectory: base + "/kind",
            runner: runner,
            now: { Date(timeIntervalSince1970: 1_800_000_000) }
        )
    }

    /// The setup of the scenario ``scenario``, with ``gitContent`` when `git`.
    static func setup(git: Bool, branches: [String], namespaces: [String], base: String) throws -> SessionSetup {
        SessionSetup(
            scenario: scenario,
            namespaces: namespaces,
            gitContent: git ? try temporaryDirectory("kind-session-content", files: gitContent) : nil,
            branches: branches,
            timeScale: 1,
            reportDirectory: base + "/report",
            clock: ScenarioClock()
        )
    }

    static func open(
        git: Bool = true,
        branches: [String] = ["main", "staging"],
        namespaces: [String] = ["test"],
        alertHost: HostAddress? = nil,
        responder: @escaping @Sendable (Command) -> CommandResult = KindScenarioSessionTests.answer
    ) async throws -> Harness {
        let runner = RecordingCommandRunner(responder: responder)
        let base = try temporaryDirectory("kind-session")
        let backend = try kindBackend(runner: runner, base: base)
        let setup = try setup(git: git, branches: branches, namespaces: namespaces, base: base)
        let work = base + "/kind/sessions/" + scenario
        let session = try await KindScenarioSession.open(
            setup,
            backend: backend,
            workDirectory: work,
            alertHost: alertHost
        )
        return Harness(backend: backend, runner: runner, session: session, work: work)
    }

    /// The Flux objects of `scenarios/gitops/flux/test.yaml`, as a scenario's `apply` step passes them.
    static func fluxObjects() throws -> [Node] {
        let file = repositoryRoot + "/scenarios/gitops/flux/test.yaml"
        return try YAMLParser.parse(String(contentsOfFile: file, encoding: .utf8), file: file).map(\.node)
    }

    /// A GitRepository following `branch` and the Flux Kustomization that reads it, both named `name`.
    static func fluxObjects(name: String, branch: String) throws -> [Node] {
        let text = """
            apiVersion: source.toolkit.fluxcd.io/v1
            kind: GitRepository
            metadata:
              name: \(name)
              namespace: flux-system
            spec:
              url: https://git.example.com/podinfo.git
              ref:
                branch: \(branch)
              interval: 1m
            ---
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata:
              name: \(name)
              namespace: flux-system
            spec:
              sourceRef:
                kind: GitRepository
                name: \(name)
              path: ./apps/test
              interval: 1m
              prune: true
            """
        return try YAMLParser.parse(text, file: "\(name).yaml").map(\.node)
    }

    static let releaseChange = FileChange(
        file: "apps/base/podinfo/deployment.yaml",
        edit: .image(ImageEdit(container: "podinfod", tag: "6.0.1"))
    )

    /// The resources of the reconcile requests (`kubectl annotate … reconcile.fluxcd.io/requestedAt=`), in order.
    static func reconciled(_ commands: [Command]) -> [String] {
        commands.compactMap { command in
            guard command.arguments.contains("annotate"),
                command.arguments.last?.hasPrefix("reconcile.fluxcd.io/requestedAt=") == true
            else { return nil }
            return command.arguments[command.arguments.count - 2]
        }
    }

    static func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    // MARK: open

    @Test("open clears what earlier sessions left, then seeds the work tree and pushes every branch")
    func opens() async throws {
        let harness = try await Self.open(namespaces: ["test", "apps"])
        let config = try KindConfig(directory: repositoryRoot + "/kind-config")
        let words = harness.commands.map(\.words)
        let kubectl = Self.kubectl
        try #require(words.count == 13, "\(words)")

        #expect(
            words[0]
                == kubectl + [
                    "delete", "--kustomize", config.manifests("flux-source"), "--ignore-not-found", "--wait=true",
                    "--timeout=120s",
                ]
        )
        // Flux objects first, so Flux prunes what they deployed; any session's label, not only this scenario's.
        #expect(
            Array(words[1].prefix(7))
                == kubectl + [
                    "delete", "kustomizations.kustomize.toolkit.fluxcd.io,ocirepositories.source.toolkit.fluxcd.io",
                    "--all-namespaces", "--selector=rollout-e2e/session",
                ]
        )
        #expect(Array(words[2].prefix(4)) == kubectl + ["delete"])
        #expect(words[2][4].split(separator: ",").contains("canaries.flagger.app"))
        #expect(words[2][4].split(separator: ",").contains("deployments"))
        #expect(Array(words[2][5...6]) == ["--all-namespaces", "--selector=rollout-e2e/session"])
        for (index, namespace) in [(3, "test"), (4, "apps")] {
            #expect(
                Array(words[index].prefix(8))
                    == kubectl + ["--namespace", namespace, "delete", "canaries.flagger.app", "--all"]
            )
        }

        let git = harness.git
        #expect(words[5] == git + ["init", "--quiet", "--initial-branch=main"])
        #expect(words[6] == ["git", "-C", harness.tree, "add", "--all"])
        #expect(words[7].contains("commit") && words[7].last?.hasPrefix("seed from ") == true)
        #expect(words[8] == ["git", "-C", harness.tree, "rev-parse", "HEAD"])
        #expect(words[9] == harness.push("main"))
        // Other branches start at the first one's commit and get their own artifact; nothing to commit.
        #expect(words[10] == git + ["branch", "staging", "main"])
        #expect(words[11] == ["git", "-C", harness.tree, "rev-parse", "HEAD"])
        #expect(words[12] == harness.push("staging"))
        #expect(!harness.commands.contains { $0.arguments.contains("annotate") })
    }

    @Test("the work tree and the pushed artifact hold the Git content without its .git")
    func seedsWorkTree() async throws {
        let harness = try await Self.open()
        for root in [harness.tree, harness.artifact] {
            #expect(try Self.read(root + "/apps/base/podinfo/deployment.yaml") == Self.deployment, "\(root)")
            #expect(!FileManager.default.fileExists(atPath: root + "/.git/HEAD"), "\(root)")
        }
        // Without an alert receiver (alertHost nil) the AlertProvider is pushed as written.
        #expect(try Self.read(harness.artifact + "/apps/test/alert-provider.yaml") == Self.alertProvider)
    }

    @Test("a scenario without Git content opens without a repository, and a commit says why it cannot run")
    func withoutGit() async throws {
        let harness = try await Self.open(git: false)
        #expect(harness.commands.allSatisfy { $0.executable == "kubectl" })
        let error = await #expect(throws: ScenarioBackendError.self) {
            try await harness.session.commit(branch: "main", message: "x", changes: [Self.releaseChange])
        }
        #expect(error?.message.contains("spec.git") == true)
    }

    @Test("a failing reset is an error that says what was being done")
    func resetFails() async throws {
        let error = await #expect(throws: ScenarioBackendError.self) {
            _ = try await Self.open { command in
                command.arguments.contains("--all-namespaces")
                    ? CommandResult(status: 1, errorOutput: "Unable to connect to the server") : CommandResult()
            }
        }
        let message = try #require(error?.message)
        #expect(message.hasPrefix("clear the cluster for promote: "))
        #expect(message.contains("Unable to connect to the server"))
    }

    @Test("repository names keep to what OCI allows")
    func repositoryNames() {
        #expect(KindScenarioSession.repositoryName("promote") == "promote")
        #expect(KindScenarioSession.repositoryName("Staging_Then.Main") == "staging-then-main")
        #expect(KindScenarioSession.repositoryName("") == "scenario")
    }

    // MARK: apply

    @Test("applied Flux objects read the session's OCI artifact and carry the session label, then are reconciled")
    func appliesFluxObjects() async throws {
        let harness = try await Self.open()
        let commands = try await harness.recording {
            try await harness.session.apply(Self.fluxObjects(), namespace: "test")
        }
        let apply = try #require(commands.first)
        // No --namespace: the objects are in flux-system, and kubectl would refuse them (KubectlNamespaceRule).
        #expect(apply.words == Self.kubectl + ["apply", "--filename=-"])
        let input = try #require(apply.input)
        #expect(!input.contains("GitRepository"))
        let documents = try YAMLParser.parse(input, file: "stdin").map(\.node)
        try #require(documents.count == 2)

        let source = documents[0]
        #expect(source["kind"]?.scalarValue == "OCIRepository")
        #expect(source["apiVersion"]?.scalarValue == "source.toolkit.fluxcd.io/v1")
        #expect(source.find(["metadata", "name"])?.scalarValue == "podinfo")
        #expect(source.find(["metadata", "namespace"])?.scalarValue == "flux-system")
        #expect(
            source.find(["spec", "url"])?.scalarValue
                == "oci://registry.gitops.svc.cluster.local:5000/rollout-e2e/promote"
        )
        #expect(source.find(["spec", "ref", "tag"])?.scalarValue == "main")
        #expect(source.find(["metadata", "labels", "rollout-e2e/session"])?.scalarValue == "promote")

        let kustomization = documents[1]
        #expect(kustomization["kind"]?.scalarValue == "Kustomization")
        #expect(kustomization.find(["spec", "sourceRef", "kind"])?.scalarValue == "OCIRepository")
        #expect(kustomization.find(["spec", "sourceRef", "name"])?.scalarValue == "podinfo")
        #expect(kustomization.find(["spec", "path"])?.scalarValue == "./apps/test")
        #expect(kustomization.find(["metadata", "labels", "rollout-e2e/session"])?.scalarValue == "promote")

        // The source is fetched before the Kustomization that reads it is applied, and the harness waits for both.
        #expect(Self.reconciled(commands) == ["ocirepository/podinfo", "kustomization/podinfo"])
        let flux = Self.kubectl + ["--namespace", "flux-system"]
        #expect(
            commands.dropFirst().map(\.words)
                == [
                    flux + [
                        "annotate", "--field-manager=flux-client-side-apply", "--overwrite", "ocirepository/podinfo",
                        "reconcile.fluxcd.io/requestedAt=promote-1",
                    ],
                    flux + [
                        "wait", "ocirepository/podinfo", "--for=jsonpath={.status.lastHandledReconcileAt}=promote-1",
                        "--timeout=2m",
                    ],
                    flux + ["wait", "ocirepository/podinfo", "--for=condition=ready", "--timeout=3m"],
                    flux + [
                        "annotate", "--field-manager=flux-client-side-apply", "--overwrite", "kustomization/podinfo",
                        "reconcile.fluxcd.io/requestedAt=promote-1",
                    ],
                    flux + [
                        "wait", "kustomization/podinfo", "--for=jsonpath={.status.lastHandledReconcileAt}=promote-1",
                        "--timeout=2m",
                    ],
                    flux + ["wait", "kustomization/podinfo", "--for=condition=ready", "--timeout=3m"],
                ]
        )
    }

    @Test("sources are reconciled before Kustomizations whatever order the manifests list them in")
    func reconcilesSourcesFirst() async throws {
        let harness = try await Self.open()
        let commands = try await harness.recording {
            try await harness.session.apply(Array(Self.fluxObjects().reversed()), namespace: "test")
        }
        #expect(Self.reconciled(commands) == ["ocirepository/podinfo", "kustomization/podinfo"])
    }

    @Test("objects other than Flux's are applied labelled, and nothing is reconciled")
    func appliesOtherObjects() async throws {
        let harness = try await Self.open()
        let configMap = try #require(
            try YAMLParser.parse("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n", file: "c.yaml")
                .first?.node
        )
        let commands = try await harness.recording { try await harness.session.apply([configMap], namespace: "test") }
        try #require(commands.count == 1)
        let applied = try YAMLParser.parse(try #require(commands[0].input), file: "stdin").map(\.node)
        #expect(applied.first?.find(["metadata", "labels", "rollout-e2e/session"])?.scalarValue == "promote")
        #expect(applied.first?.find(["metadata", "name"])?.scalarValue == "settings")
    }

    @Test("a GitRepository on branch release/1.0 follows the OCI tag the session pushes that branch's commits to")
    func followsSanitizedBranchTag() async throws {
        let harness = try await Self.open(branches: ["main", "release/1.0"])
        let applied = try await harness.recording {
            try await harness.session.apply(Self.fluxObjects(name: "release", branch: "release/1.0"), namespace: "test")
        }
        let input = try #require(applied.first?.input)
        let source = try #require(try YAMLParser.parse(input, file: "stdin").first?.node)
        let tag = try #require(source.find(["spec", "ref", "tag"])?.scalarValue)
        #expect(tag.wholeMatch(of: #/[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}/#) != nil, "\(tag)")

        let commands = try await harness.recording {
            try await harness.session.commit(branch: "release/1.0", message: "release", changes: [Self.releaseChange])
        }
        let push = try #require(commands.first { $0.words.starts(with: ["flux", "push"]) })
        #expect(push.arguments[2] == "oci://localhost:5001/rollout-e2e/promote:" + tag)
        // Flux's revision keeps the real branch name; only the tag is sanitized.
        #expect(push.arguments.last == "--revision=release/1.0@sha1:\(Self.revision)")
        // The seed pushed the branch to the same tag.
        #expect(
            harness.commands.contains {
                $0.words.starts(with: ["flux", "push"]) && $0.arguments[2] == push.arguments[2]
            }
        )
        #expect(Self.reconciled(commands) == ["ocirepository/release", "kustomization/release"])
    }

    @Test("a GitRepository pinned to a tag is refused before anything is applied, pointing at spec.ref.branch")
    func refusesTagRef() async throws {
        let harness = try await Self.open()
        let text = """
            apiVersion: source.toolkit.fluxcd.io/v1
            kind: GitRepository
            metadata:
              name: pinned
              namespace: flux-system
            spec:
              url: https://git.example.com/podinfo.git
              ref:
                tag: v6.0.1
              interval: 1m
            """
        let documents = try YAMLParser.parse(text, file: "pinned.yaml").map(\.node)
        let count = harness.commands.count
        let error = await #expect(throws: ScenarioBackendError.self) {
            try await harness.session.apply(documents, namespace: "test")
        }
        #expect(error?.message.contains("flux-system/pinned") == true)
        #expect(error?.message.contains("spec.ref.tag") == true)
        #expect(error?.message.contains("use spec.ref.branch") == true)
        #expect(harness.commands.count == count)
    }

    // MARK: Git

    @Test("a commit on main edits the work tree after the checkout, pushes main's artifact, then reconciles")
    func commitsOnMain() async throws {
        let notes = Notes()
        let harness = try await Self.open { command in
            // What the work tree and the artifact hold when git checks out and when flux pushes.
            let root = notes.values.withLock { $0["work"] } ?? "/nonexistent"
            let file = "/apps/base/podinfo/deployment.yaml"
            if command.words.contains("checkout") {
                let text = try? String(contentsOfFile: root + "/gitops" + file, encoding: .utf8)
                notes.values.withLock { $0["checkout"] = text }
            }
            if command.words.starts(with: ["flux", "push"]) {
                let text = try? String(contentsOfFile: root + "/artifact" + file, encoding: .utf8)
                notes.values.withLock { $0["push"] = text }
            }
            return Self.answer(command)
        }
        notes.values.withLock { $0["work"] = harness.work }
        try await harness.session.apply(Self.fluxObjects(), namespace: "test")

        let commands = try await harness.recording {
            try await harness.session.commit(
                branch: "main",
                message: "podinfo: release 6.0.1",
                changes: [Self.releaseChange]
            )
        }
        let words = commands.map(\.words)
        try #require(words.count == 12, "\(words)")
        // Leftovers of an earlier failed commit are dropped first: every commit commits the whole tree.
        #expect(words[0] == harness.git + ["checkout", "--quiet", "--force", "main"])
        #expect(words[1] == harness.git + ["clean", "--quiet", "--force", "-d"])
        #expect(words[2] == ["git", "-C", harness.tree, "add", "--all"])
        #expect(words[3].contains("commit") && words[3].last == "podinfo: release 6.0.1")
        #expect(words[4] == ["git", "-C", harness.tree, "rev-parse", "HEAD"])
        #expect(words[5] == harness.push("main"))
        #expect(Self.reconciled(commands) == ["ocirepository/podinfo", "kustomization/podinfo"])
        #expect(words[6].last == "reconcile.fluxcd.io/requestedAt=promote-2")

        let released = try Self.read(harness.tree + "/apps/base/podinfo/deployment.yaml")
        #expect(released.contains("image: ghcr.io/stefanprodan/podinfo:6.0.1"))
        #expect(!released.contains("6.0.0"))
        #expect(released.contains("app: podinfo"))
        let pushed = notes.values.withLock { $0 }
        #expect(pushed["checkout"]?.contains("podinfo:6.0.0") == true)
        #expect(pushed["push"]?.contains("podinfo:6.0.1") == true)
    }

    @Test("a commit on a branch nothing follows pushes its artifact and reconciles nothing")
    func commitsOnStaging() async throws {
        let harness = try await Self.open()
        try await harness.session.apply(Self.fluxObjects(), namespace: "test")
        let commands = try await harness.recording {
            try await harness.session.commit(branch: "staging", message: "stage 6.0.1", changes: [Self.releaseChange])
        }
        #expect(commands.first?.words == harness.git + ["checkout", "--quiet", "--force", "staging"])
        #expect(commands.last?.words == harness.push("staging"))
        #expect(!commands.contains { $0.arguments.contains("annotate") || $0.arguments.contains("wait") })
    }

    @Test("a commit reconciles only the sources that follow its branch and the Kustomizations reading them")
    func reconcilesFollowers() async throws {
        let harness = try await Self.open()
        try await harness.session.apply(Self.fluxObjects(), namespace: "test")
        try await harness.session.apply(Self.fluxObjects(name: "podinfo-staging", branch: "staging"), namespace: "test")
        let staging = try await harness.recording {
            try await harness.session.commit(branch: "staging", message: "stage", changes: [Self.releaseChange])
        }
        #expect(Self.reconciled(staging) == ["ocirepository/podinfo-staging", "kustomization/podinfo-staging"])
        let main = try await harness.recording {
            try await harness.session.commit(branch: "main", message: "release", changes: [Self.releaseChange])
        }
        #expect(Self.reconciled(main) == ["ocirepository/podinfo", "kustomization/podinfo"])
    }

    @Test("a merge checks out the target, merges, pushes its artifact without a commit of its own, reconciles")
    func merges() async throws {
        let harness = try await Self.open()
        try await harness.session.apply(Self.fluxObjects(), namespace: "test")
        let commands = try await harness.recording {
            try await harness.session.merge(from: "staging", into: "main", message: "promote staging")
        }
        let words = commands.map(\.words)
        try #require(words.count >= 5)
        #expect(words[0] == harness.git + ["checkout", "--quiet", "--force", "main"])
        #expect(words[1] == harness.git + ["clean", "--quiet", "--force", "-d"])
        #expect(
            words[2]
                == harness.git + [
                    "merge", "--quiet", "--no-ff", "--no-edit", "--message", "promote staging", "staging",
                ]
        )
        #expect(words[3] == ["git", "-C", harness.tree, "rev-parse", "HEAD"])
        #expect(words[4] == harness.push("main"))
        #expect(!words.contains { $0.contains("add") || $0.contains("commit") })
        #expect(Self.reconciled(commands) == ["ocirepository/podinfo", "kustomization/podinfo"])
    }

    @Test("a change to a file the repository does not have fails the commit, naming the file")
    func commitOfMissingFile() async throws {
        let harness = try await Self.open()
        let change = FileChange(file: "apps/base/nothing.yaml", edit: .image(ImageEdit(tag: "1.0.0")))
        let error = await #expect(throws: ScenarioBackendError.self) {
            try await harness.session.commit(branch: "main", message: "x", changes: [change])
        }
        #expect(error?.message.contains("apps/base/nothing.yaml") == true)
    }

    @Test("a removed file leaves the work tree and the artifact")
    func commitRemovesFile() async throws {
        let harness = try await Self.open()
        let change = FileChange(file: "apps/test/alert-provider.yaml", edit: .remove)
        try await harness.session.commit(branch: "main", message: "no alerts", changes: [change])
        #expect(!FileManager.default.fileExists(atPath: harness.tree + "/apps/test/alert-provider.yaml"))
        #expect(!FileManager.default.fileExists(atPath: harness.artifact + "/apps/test/alert-provider.yaml"))
        #expect(FileManager.default.fileExists(atPath: harness.artifact + "/apps/base/podinfo/deployment.yaml"))
    }

    // MARK: delete and read

    @Test("a deleted source is no longer reconciled on a push")
    func deletedSourceIsNotReconciled() async throws {
        let harness = try await Self.open()
        try await harness.session.apply(Self.fluxObjects(), namespace: "test")
        let commands = try await harness.recording {
            try await harness.session.delete([
                ObjectReference(kind: "OCIRepository", name: "podinfo", namespace: "flux-system")
            ])
            try await harness.session.commit(branch: "main", message: "release", changes: [Self.releaseChange])
        }
        #expect(
            commands.first?.words
                == Self.kubectl + [
                    "--namespace", "flux-system", "delete", "OCIRepository", "podinfo", "--ignore-not-found",
                    "--wait=false",
                ]
        )
        #expect(Self.reconciled(commands).isEmpty)
    }

    @Test("deleting the GitRepository a scenario applied deletes the OCIRepository that stands for it")
    func deletesGitRepositoryAsOCIRepository() async throws {
        let harness = try await Self.open()
        try await harness.session.apply(Self.fluxObjects(), namespace: "test")
        let commands = try await harness.recording {
            try await harness.session.delete([
                ObjectReference(kind: "GitRepository", name: "podinfo", namespace: "flux-system")
            ])
            try await harness.session.commit(branch: "main", message: "release", changes: [Self.releaseChange])
        }
        #expect(
            commands.first.map { Array($0.words.prefix(6)) } == Self.kubectl + ["--namespace", "flux-system", "delete"]
        )
        #expect(commands.first.map { Array($0.words.dropFirst(6).prefix(2)) } == ["OCIRepository", "podinfo"])
        #expect(Self.reconciled(commands).isEmpty)
    }

    @Test("an object without a namespace is deleted from the scenario's first namespace")
    func deletesInScenarioNamespace() async throws {
        let harness = try await Self.open(namespaces: ["test", "apps"])
        let commands = try await harness.recording {
            try await harness.session.delete([ObjectReference(kind: "Canary", name: "podinfo")])
        }
        #expect(
            commands.map(\.words) == [
                Self.kubectl + [
                    "--namespace", "test", "delete", "Canary", "podinfo", "--ignore-not-found", "--wait=false",
                ]
            ]
        )
    }

    @Test("an object is read as the cluster has it; one that does not exist is nil")
    func readsObjects() async throws {
        let json = #"{"kind":"Deployment","metadata":{"name":"podinfo-primary"},"status":{"readyReplicas":2}}"#
        let harness = try await Self.open { command in
            command.arguments.contains("podinfo-primary") ? CommandResult(output: json + "\n") : Self.answer(command)
        }
        let object = try await harness.session.object(ObjectReference(kind: "Deployment", name: "podinfo-primary"))
        #expect(object?.find(["status", "readyReplicas"])?.resolved == .int(2))
        #expect(
            harness.commands.last?.words
                == Self.kubectl + [
                    "--namespace", "test", "get", "Deployment", "podinfo-primary", "--ignore-not-found",
                    "--output=json",
                ]
        )
        #expect(try await harness.session.object(ObjectReference(kind: "Deployment", name: "gone")) == nil)
    }

    // MARK: Flagger

    struct GateCase: Sendable, CustomTestStringConvertible {
        var type: GateAction.GateType
        var open: Bool
        var url: String
        var testDescription: String { "\(open ? "open" : "close") \(type.rawValue)" }
    }

    @Test(
        "gates are set on the real loadtester, from inside its pod",
        arguments: [
            GateCase(type: .confirmPromotion, open: true, url: "http://flagger-loadtester.test/gate/open"),
            GateCase(type: .confirmRollout, open: false, url: "http://flagger-loadtester.test/gate/close"),
            GateCase(type: .confirmTrafficIncrease, open: true, url: "http://flagger-loadtester.test/gate/open"),
            GateCase(type: .rollback, open: true, url: "http://flagger-loadtester.test/rollback/open"),
            GateCase(type: .rollback, open: false, url: "http://flagger-loadtester.test/rollback/close"),
        ]
    )
    func setsGates(gate: GateCase) async throws {
        let harness = try await Self.open()
        let commands = try await harness.recording {
            try await harness.session.setGate(canary: "podinfo", namespace: "apps", type: gate.type, open: gate.open)
        }
        try #require(commands.count == 1)
        let words = commands[0].words
        #expect(words.starts(with: Self.kubectl + Self.loadtesterPod + ["curl"]))
        #expect(words.last == gate.url)
        let data = try #require(words.firstIndex(of: "--data"))
        #expect(words[data + 1] == #"{"name":"podinfo","namespace":"apps"}"#)
    }

    @Test("a gate the loadtester refuses is an error after its retries")
    func gateFails() async throws {
        let harness = try await Self.open { command in
            command.words.contains("exec")
                ? CommandResult(status: 22, errorOutput: "curl: (22) 404") : Self.answer(command)
        }
        let error = await #expect(throws: ScenarioBackendError.self) {
            try await harness.session.setGate(canary: "podinfo", namespace: "test", type: .rollback, open: true)
        }
        #expect(error?.message.hasPrefix("open the rollback gate: ") == true)
        #expect(harness.commands.filter { $0.words.contains("exec") }.count == 3)
    }

    static func canaryJSON(phase: String, weight: Int) -> String {
        """
        {"apiVersion":"flagger.app/v1beta1","kind":"Canary","metadata":{"name":"podinfo","namespace":"test"},
         "status":{"phase":"\(phase)","canaryWeight":\(weight),"failedChecks":0,"iterations":1}}
        """
    }

    @Test("the canary timeline is read from the cluster, at most once per poll interval; a missing canary has none")
    func canaryTimeline() async throws {
        let harness = try await Self.open { command in
            let words = command.words
            if words.contains("canary") && words.contains("podinfo") {
                return CommandResult(output: Self.canaryJSON(phase: "Progressing", weight: 20))
            }
            if words.contains("events") { return CommandResult(output: #"{"items":[]}"#) }
            return Self.answer(command)
        }
        let missing = try await harness.session.canaryTimeline(canary: "absent", namespace: "test")
        #expect(missing.isEmpty)

        let timeline = try await harness.session.canaryTimeline(canary: "podinfo", namespace: "test")
        #expect(timeline.map(\.phase) == ["Progressing"])
        #expect(timeline.map(\.canaryWeight) == [20])

        // Asked again at once, the session answers from what it has.
        let count = harness.commands.count
        let again = try await harness.session.canaryTimeline(canary: "podinfo", namespace: "test")
        #expect(again == timeline)
        #expect(harness.commands.count == count)
    }

    // MARK: faults

    @Test("restarting nginx restarts the ingress controller's Deployment")
    func restartsNginx() async throws {
        let harness = try await Self.open()
        let commands = try await harness.recording {
            try await harness.session.fault(
                FaultAction(target: .component("nginx"), action: .restart),
                namespace: "test"
            )
        }
        #expect(
            commands.map(\.words) == [
                Self.kubectl + [
                    "--namespace", "ingress-nginx", "rollout", "restart", "--field-manager=flux-client-side-apply",
                    "deployment/ingress-nginx-controller",
                ]
            ]
        )
    }

    @Test("stop and start scale a Deployment of the scenario's namespace (or the one named) to zero and back")
    func stopsAndStarts() async throws {
        let harness = try await Self.open()
        let commands = try await harness.recording {
            let podinfo = FaultAction.Target.replica(deployment: "podinfo", namespace: nil, index: nil)
            try await harness.session.fault(FaultAction(target: podinfo, action: .stop), namespace: "test")
            let cache = FaultAction.Target.replica(deployment: "cache", namespace: "apps", index: nil)
            try await harness.session.fault(FaultAction(target: cache, action: .start), namespace: "test")
        }
        #expect(
            commands.map(\.words) == [
                Self.kubectl + [
                    "--namespace", "test", "patch", "deployment/podinfo", "--subresource=scale", "--type=merge",
                    "--patch={\"spec\":{\"replicas\":0}}", "--field-manager=flux-client-side-apply",
                ],
                Self.kubectl + [
                    "--namespace", "apps", "patch", "deployment/cache", "--subresource=scale", "--type=merge",
                    "--patch={\"spec\":{\"replicas\":1}}", "--field-manager=flux-client-side-apply",
                ],
            ]
        )
    }

    @Test("kill deletes the Deployment's pods, found by its own selector")
    func kills() async throws {
        let harness = try await Self.open { command in
            command.arguments.contains { $0.hasPrefix("--output=go-template=") }
                ? CommandResult(output: "app=podinfo,tier=web,") : Self.answer(command)
        }
        let commands = try await harness.recording {
            let target = FaultAction.Target.replica(deployment: "podinfo", namespace: nil, index: nil)
            try await harness.session.fault(FaultAction(target: target, action: .kill), namespace: "test")
        }
        try #require(commands.count == 2)
        #expect(Array(commands[0].words.prefix(6)) == Self.kubectl + ["--namespace", "test", "get"])
        #expect(commands[0].words.contains("deployment/podinfo"))
        #expect(
            commands[1].words
                == Self.kubectl + [
                    "--namespace", "test", "delete", "pods", "--selector=app=podinfo,tier=web", "--wait=false",
                ]
        )
    }

    @Test("killing a Deployment that does not exist is an error naming it")
    func killsMissingDeployment() async throws {
        let harness = try await Self.open { command in
            command.arguments.contains { $0.hasPrefix("--output=go-template=") }
                ? CommandResult(status: 1, errorOutput: "deployments.apps \"nothing\" not found") : Self.answer(command)
        }
        let error = await #expect(throws: ScenarioBackendError.self) {
            let target = FaultAction.Target.replica(deployment: "nothing", namespace: nil, index: nil)
            try await harness.session.fault(FaultAction(target: target, action: .kill), namespace: "test")
        }
        #expect(error?.message.contains("no Deployment nothing in test") == true)
        #expect(!harness.commands.contains { $0.words.contains("pods") })
    }

    @Test("a component the kind backend does not have is an error naming the ones it has")
    func unknownComponent() async throws {
        let harness = try await Self.open()
        let count = harness.commands.count
        let error = await #expect(throws: ScenarioBackendError.self) {
            try await harness.session.fault(
                FaultAction(target: .component("alert-receiver"), action: .stop),
                namespace: "test"
            )
        }
        let message = try #require(error?.message)
        #expect(message.contains("'alert-receiver'"))
        #expect(message.contains("flagger, flux, loadtester, nginx, prometheus, redis"))
        #expect(harness.commands.count == count)
    }

    @Test("a fault on one replica deletes the N-th of the Deployment's pods by name; start does nothing")
    func replicaIndex() async throws {
        let harness = try await Self.open { command in
            if command.arguments.contains(where: { $0.hasPrefix("--output=go-template=") }) {
                return CommandResult(output: "app=podinfo,")
            }
            if command.arguments.contains("--output=jsonpath={.items[*].metadata.name}") {
                return CommandResult(output: "podinfo-7d9-aaaaa podinfo-7d9-bbbbb")
            }
            return Self.answer(command)
        }
        let target = FaultAction.Target.replica(deployment: "podinfo", namespace: nil, index: 1)
        let commands = try await harness.recording {
            try await harness.session.fault(FaultAction(target: target, action: .stop), namespace: "test")
        }
        try #require(commands.count == 3)
        #expect(
            commands[1].words
                == Self.kubectl + [
                    "--namespace", "test", "get", "pods", "--selector=app=podinfo", "--sort-by=.metadata.name",
                    "--output=jsonpath={.items[*].metadata.name}",
                ]
        )
        #expect(
            commands[2].words
                == Self.kubectl + ["--namespace", "test", "delete", "pod/podinfo-7d9-bbbbb", "--wait=false"]
        )
        let started = try await harness.recording {
            try await harness.session.fault(FaultAction(target: target, action: .start), namespace: "test")
        }
        #expect(started.isEmpty)
        let missing = FaultAction.Target.replica(deployment: "podinfo", namespace: nil, index: 2)
        let error = await #expect(throws: ScenarioBackendError.self) {
            try await harness.session.fault(FaultAction(target: missing, action: .kill), namespace: "test")
        }
        #expect(error?.message.contains("has 2 pod(s); replica 2 does not exist") == true)
    }

    // MARK: close

    @Test("close deletes what this session applied, by its label, Flux objects first")
    func closes() async throws {
        let harness = try await Self.open()
        let commands = try await harness.recording { await harness.session.close() }
        try #require(commands.count == 2)
        #expect(
            Array(commands[0].words.prefix(7))
                == Self.kubectl + [
                    "delete", "kustomizations.kustomize.toolkit.fluxcd.io,ocirepositories.source.toolkit.fluxcd.io",
                    "--all-namespaces", "--selector=rollout-e2e/session=promote",
                ]
        )
        #expect(commands[1].words[4].split(separator: ",").contains("canaries.flagger.app"))
        #expect(Array(commands[1].words[5...6]) == ["--all-namespaces", "--selector=rollout-e2e/session=promote"])
    }

    @Test("a closed session leaves the backend's open sessions; closing it again, even at once, deletes nothing more")
    func closesOnce() async throws {
        let runner = RecordingCommandRunner(responder: Self.answer)
        let base = try temporaryDirectory("kind-backend")
        let backend = try Self.kindBackend(runner: runner, base: base)
        let scenarios = KindScenarioBackend(
            backend: backend,
            workDirectory: base + "/kind",
            alertHost: nil,
            stopOnSignals: false
        )
        let labelDeletes = {
            runner.commands.filter { $0.arguments.contains("--selector=rollout-e2e/session=promote") }.count
        }
        let setup = try Self.setup(git: true, branches: ["main"], namespaces: ["test"], base: base)

        let session = try await scenarios.openSession(setup)
        #expect(scenarios.openScenarios == ["promote"])
        await session.close()
        #expect(scenarios.openScenarios.isEmpty)
        #expect(labelDeletes() == 2)
        // Again, and as Ctrl-C would after the run: nothing left to close.
        await session.close()
        await scenarios.closeAll()
        #expect(labelDeletes() == 2)

        // A signal arriving while the runner closes: both wait for the one close.
        let next = try await scenarios.openSession(setup)
        async let runnerClose: Void = next.close()
        async let signalClose: Void = scenarios.closeAll()
        _ = await (runnerClose, signalClose)
        #expect(scenarios.openScenarios.isEmpty)
        #expect(labelDeletes() == 4)
    }

    // MARK: labels

    private func labels(of text: String) throws -> [String: String] {
        let document = try #require(try YAMLParser.parse(text, file: "d.yaml").first?.node)
        let labelled = KindScenarioSession.labelled(document, scenario: "promote")
        // Through text, as kubectl reads it: a duplicate key would not survive.
        let applied = try #require(try YAMLParser.parse(Node.yamlStream([labelled]), file: "stdin").first?.node)
        #expect(applied.find(["metadata", "name"])?.scalarValue == "settings")
        let pairs = try #require(applied.find(["metadata", "labels"])?.pairs)
        #expect(Set(pairs.compactMap(\.key.scalarValue)).count == pairs.count, "duplicate label keys")
        return Dictionary(pairs.map { ($0.key.scalarValue ?? "", $0.value.scalarValue ?? "") }) { $1 }
    }

    @Test("the session label is added to a document without labels")
    func labelsWithoutLabels() throws {
        #expect(try labels(of: "kind: ConfigMap\nmetadata:\n  name: settings\n") == ["rollout-e2e/session": "promote"])
    }

    @Test("the session label joins a document's own labels, replacing an old session's")
    func labelsWithLabels() throws {
        let text =
            "kind: ConfigMap\nmetadata:\n  name: settings\n  labels:\n    app: podinfo\n"
            + "    rollout-e2e/session: earlier\n"
        #expect(try labels(of: text) == ["app": "podinfo", "rollout-e2e/session": "promote"])
    }

    @Test("the session label replaces empty labels (every label commented out) instead of adding a second key")
    func labelsWithEmptyLabels() throws {
        let text = "kind: ConfigMap\nmetadata:\n  name: settings\n  labels:\n    # app: podinfo\n"
        #expect(try labels(of: text) == ["rollout-e2e/session": "promote"])
    }
}

/// The session calls that start the alert receiver or the webhook recorder: real listening sockets, so they run in
/// the serial integration phase of `make test` (on 2 cores, beside the parallel unit tests, a listener was seen to
/// take over 10 s to accept).
@Suite("A kind session's alert receiver on real sockets")
struct KindSessionReceiverIntegrationTests {
    @Test("with an alert receiver, the artifact's AlertProvider posts to it and the work tree keeps the original")
    func artifactPointsAlertsAtTheReceiver() async throws {
        let harness = try await KindScenarioSessionTests.open(alertHost: "127.0.0.1")
        let staged = try YAMLParser.parse(
            KindScenarioSessionTests.read(harness.artifact + "/apps/test/alert-provider.yaml"),
            file: "a.yaml"
        )
        let address = try #require(staged.first?.node.find(["spec", "address"])?.scalarValue)
        #expect(address.hasPrefix("http://127.0.0.1:"))
        #expect(address.hasSuffix("/services/T000/B000/XXXX"))
        #expect(
            try KindScenarioSessionTests.read(harness.tree + "/apps/test/alert-provider.yaml")
                == KindScenarioSessionTests.alertProvider
        )
        await harness.session.close()
    }

    @Test("on Docker Desktop the receiver listens on 127.0.0.1 and the artifact names host.docker.internal")
    func desktopReceiver() async throws {
        let address = HostAddress(listen: "127.0.0.1", advertised: DockerHost.desktopHostName)
        let harness = try await KindScenarioSessionTests.open(alertHost: address)
        let staged = try YAMLParser.parse(
            KindScenarioSessionTests.read(harness.artifact + "/apps/test/alert-provider.yaml"),
            file: "a.yaml"
        )
        let posted = try #require(staged.first?.node.find(["spec", "address"])?.scalarValue)
        #expect(posted.hasPrefix("http://host.docker.internal:"))
        // What Desktop delivers to host.docker.internal arrives on the host's loopback, where the receiver listens.
        let local = posted.replacingOccurrences(of: "host.docker.internal", with: "127.0.0.1")
        _ = try await HTTPClient.shared.post(local, json: "{\"text\":\"podinfo.test promoted\"}", timeout: .seconds(5))
        #expect(await harness.session.alerts().count == 1)
        #expect(harness.session.alertsUnavailable == nil)
        await harness.session.close()
    }

    @Test("the kind backend says why it has no webhook calls, and has no alerts without a receiver")
    func webhooksAndAlerts() async throws {
        let harness = try await KindScenarioSessionTests.open()
        #expect(harness.session.webhookCallsUnavailable?.isEmpty == false)
        #expect(await harness.session.webhookCalls().isEmpty)
        #expect(await harness.session.alerts().isEmpty)
        // Without an address the cluster reaches the host at, alert assertions fail with the reason.
        #expect(harness.session.alertsUnavailable?.contains("--kubeconfig") == true)
        let reachable = try await KindScenarioSessionTests.open(alertHost: "127.0.0.1")
        #expect(reachable.session.alertsUnavailable == nil)
        await reachable.session.close()
    }
}
