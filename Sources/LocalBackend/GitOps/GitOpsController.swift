import Foundation
import ObjectModel
import ServiceLifecycle
import YAML

/// Flux's role on the local backend: polls each `GitRepository` with `git` (a local path or `file://` URL here),
/// renders each `Kustomization`'s path with `kubectl kustomize` when it has a kustomization.yaml (else reads its YAML
/// files), applies the objects (into `targetNamespace` when set), prunes what left Git, and records the applied
/// revision and a `Ready` condition. One loop does all the work in order, so a checkout never races a render: it
/// runs when a GitRepository or Kustomization changes and when the next one is due (their scaled `interval`s), as
/// source-controller and kustomize-controller requeue after `interval`.
public actor GitOpsController: ServiceLifecycle.Service {
    private struct Source {
        var directory: String
        var revision: String?
        var nextPoll = ContinuousClock.now
    }

    private let store: ObjectStore
    private let runner: CommandRunner
    private let gitPath: String
    private let kubectlPath: String
    private let directory: String
    private let timeScale: Double
    private var sources: [ObjectKey: Source] = [:]
    private var nextApply: [ObjectKey: ContinuousClock.Instant] = [:]
    private var appliedRevision: [ObjectKey: String] = [:]
    private var appliedGeneration: [ObjectKey: Int] = [:]
    /// What each object looked like in Git when last applied. Like `kubectl apply`'s three-way merge, an object
    /// whose manifest did not change is left alone, so what controllers changed since (Flagger scaling the target to
    /// zero, taking over the apex Service) is not reverted on every interval.
    private var lastAppliedManifest: [ObjectKey: String] = [:]
    /// The last render of each Kustomization, by source revision and path. A revision is an immutable commit, so its
    /// render never changes: kustomize-controller rebuilds on every interval, and so does this controller's apply,
    /// but without running `kubectl kustomize` again (at `--time-scale 0.05` ten stacks re-rendering every 3 s took
    /// about 40% of a 2-core machine, enough to delay webhook answers past their scaled timeouts).
    private var lastRender: [ObjectKey: (revision: String, path: String, text: String)] = [:]
    private let wake = ReconcileSignal()
    /// Passes run one at a time (the loop's and ``reconcileNow()``'s): the holder and the waiters, in order.
    private var passing = false
    private var waitingToPass: [CheckedContinuation<Void, Never>] = []
    private var paused = false

    public init(
        store: ObjectStore,
        gitPath: String,
        kubectlPath: String,
        workDirectory: WorkDirectory,
        timeScale: Double
    ) throws {
        self.store = store
        self.gitPath = gitPath
        self.kubectlPath = kubectlPath
        self.directory = try workDirectory.component("gitops")
        self.runner = CommandRunner(
            scratchDirectory: workDirectory.scratch,
            environment: [
                "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": workDirectory.path, "GIT_TERMINAL_PROMPT": "0",
                "GIT_CONFIG_NOSYSTEM": "1",
            ]
        )
        self.timeScale = timeScale
    }

    /// The reconcile loop, until the stack's graceful shutdown: a pass on every change of a GitRepository or
    /// Kustomization and whenever one is due.
    public func run() async throws {
        let changes = await store.changes()
        let wake = wake
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    for await event in changes
                    where [GitRepository.kind, Kustomization.kind].contains(event.key.kind)
                        && event.change != .statusChanged
                    {
                        wake.signal()
                    }
                }
                group.addTask {
                    while !Task.isCancelled {
                        if await !self.paused { await self.pass() }
                        await wake.wait(atMost: await self.untilNextDue())
                    }
                }
            }
        }
    }

    /// How long until a source is due for a fetch or a Kustomization for an apply (at most a second, so a source
    /// added without a store event is still picked up).
    private func untilNextDue() -> Duration {
        let now = ContinuousClock.now
        let due = sources.values.map(\.nextPoll) + nextApply.values
        let earliest = due.min() ?? now + .seconds(1)
        return max(.milliseconds(1), min(.seconds(1), now.duration(to: earliest)))
    }

    /// Stops the loop's passes (a fault that takes "Flux" down); ``resume()`` goes on. ``reconcileNow()`` still works,
    /// as `flux reconcile` is how a scenario step asks for a sync.
    public func pause() { paused = true }

    public func resume() {
        paused = false
        wake.signal()
    }

    /// Fetches every source and applies every Kustomization now (`flux reconcile … --with-source`), returning once
    /// done. Throws the first Kustomization failure.
    public func reconcileNow() async throws {
        for key in sources.keys { sources[key]?.nextPoll = .now }
        for key in nextApply.keys { nextApply[key] = .now }
        await pass(force: true)
        for stored in await store.list(kind: Kustomization.kind) {
            if let status = stored.status as? KustomizationStatus, !status.isReady,
                let message = status.conditions.first?.message
            {
                throw LocalBackendError(
                    .command,
                    "Kustomization \(stored.key.namespace)/\(stored.key.name): \(message)"
                )
            }
        }
    }

    // MARK: The loop

    private func pass(force: Bool = false) async {
        if passing {
            await withCheckedContinuation { waitingToPass.append($0) }
        }
        passing = true
        defer {
            if waitingToPass.isEmpty { passing = false } else { waitingToPass.removeFirst().resume() }
        }
        let repositories = await store.list(kind: GitRepository.kind)
        for stored in repositories {
            guard let repository = stored.object as? GitRepository else { continue }
            await poll(stored, repository, force: force)
        }
        for key in sources.keys where !repositories.contains(where: { $0.key == key }) { sources[key] = nil }
        for stored in await store.list(kind: Kustomization.kind) {
            guard let kustomization = stored.object as? Kustomization else { continue }
            await apply(stored, kustomization, force: force)
        }
    }

    /// The commit `branch` points at in the repository at the local path `repository` (bare or not), read from its
    /// loose ref or `packed-refs`; nil when it is neither (a symbolic ref, a remote URL, no such branch), and the
    /// poll then asks git.
    static func localBranchHead(repository: String, branch: String) -> String? {
        guard repository.hasPrefix("/") else { return nil }
        let ref = "refs/heads/" + branch
        for gitDirectory in [repository, repository + "/.git"] {
            if let text = try? String(contentsOfFile: gitDirectory + "/" + ref, encoding: .utf8) {
                let sha = text.trimmingCharacters(in: .whitespacesAndNewlines)
                return isObjectName(sha) ? sha : nil
            }
            if let packed = try? String(contentsOfFile: gitDirectory + "/packed-refs", encoding: .utf8) {
                for line in packed.split(separator: "\n") {
                    let fields = line.split(separator: " ")
                    if fields.count == 2, fields[1] == ref, isObjectName(String(fields[0])) { return String(fields[0]) }
                }
            }
        }
        return nil
    }

    private static func isObjectName(_ text: String) -> Bool {
        (text.utf8.count == 40 || text.utf8.count == 64)
            && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    private func interval(_ duration: ManifestDuration) -> Duration {
        .milliseconds(max(200, Int(duration.seconds * timeScale * 1000)))
    }

    private func poll(_ stored: StoredObject, _ repository: GitRepository, force: Bool) async {
        let key = stored.key
        var source = sources[key] ?? Source(directory: directory + "/\(key.namespace)-\(key.name)")
        guard force || ContinuousClock.now >= source.nextPoll || source.revision == nil else { return }
        source.nextPoll = .now + interval(repository.spec.interval)
        let branch = repository.spec.ref?.branch ?? "master"
        let url =
            repository.spec.url.hasPrefix("file://") ? String(repository.spec.url.dropFirst(7)) : repository.spec.url
        // source-controller asks the remote for the branch's head first and builds no new artifact when it is the
        // revision it already has. For a repository on this machine that is a file read; it spares three git
        // processes per poll (a scaled 1m interval is 1.2 s at 0.02, for every GitRepository of every stack).
        if !force, let current = source.revision,
            let status = stored.status as? GitRepositoryStatus, status.isReady,
            status.observedGeneration == stored.generation,
            let head = Self.localBranchHead(repository: url, branch: branch),
            current == "\(branch)@sha1:\(head)"
        {
            sources[key] = source
            return
        }
        do {
            if !FileManager.default.fileExists(atPath: source.directory + "/.git") {
                try await runner.check(gitPath, ["clone", "--quiet", "--no-checkout", url, source.directory])
            }
            try await runner.check(
                gitPath,
                [
                    "-C", source.directory, "fetch", "--quiet", "--force", "origin",
                    "+refs/heads/\(branch):refs/remotes/origin/\(branch)",
                ]
            )
            let sha = try await runner.check(gitPath, ["-C", source.directory, "rev-parse", "origin/\(branch)"])
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let revision = "\(branch)@sha1:\(sha)"
            if revision != source.revision {
                try await runner.check(
                    gitPath,
                    ["-C", source.directory, "checkout", "--quiet", "--force", "--detach", sha]
                )
                source.revision = revision
            }
            sources[key] = source
            await store.setStatus(
                key,
                GitRepositoryStatus(
                    observedGeneration: stored.generation,
                    artifactRevision: revision,
                    conditions: [
                        FluxCondition(
                            type: "Ready",
                            status: "True",
                            reason: "Succeeded",
                            message: "stored artifact for revision '\(revision)'"
                        )
                    ]
                )
            )
        } catch {
            sources[key] = source
            await store.setStatus(
                key,
                GitRepositoryStatus(
                    observedGeneration: stored.generation,
                    artifactRevision: source.revision,
                    conditions: [
                        FluxCondition(type: "Ready", status: "False", reason: "GitOperationFailed", message: "\(error)")
                    ]
                )
            )
        }
    }

    private func apply(_ stored: StoredObject, _ kustomization: Kustomization, force: Bool) async {
        let key = stored.key
        let sourceKey = ObjectKey(
            kind: kustomization.spec.sourceRef.kind,
            namespace: kustomization.spec.sourceRef.namespace ?? key.namespace,
            name: kustomization.spec.sourceRef.name
        )
        guard let source = sources[sourceKey], let revision = source.revision else {
            await setStatus(
                stored,
                attempted: nil,
                ready: false,
                reason: "ArtifactFailed",
                message: "Source '\(sourceKey)' not found or not ready",
                inventory: nil
            )
            return
        }
        let due = force || ContinuousClock.now >= nextApply[key] ?? .now
        let changed = appliedRevision[key] != revision || appliedGeneration[key] != stored.generation
        guard due || changed else { return }
        nextApply[key] = .now + interval(kustomization.spec.interval)
        let path = source.directory + "/" + (kustomization.spec.path ?? "./")
        do {
            let rendered: String
            if let cached = lastRender[key], cached.revision == revision, cached.path == path {
                rendered = cached.text
            } else {
                rendered = try await render(path)
                lastRender[key] = (revision, path, rendered)
            }
            let loaded = ManifestLoader.load(rendered, file: "\(kustomization.spec.path ?? ".")")
            if loaded.hasErrors {
                let message = loaded.diagnostics.filter { $0.severity == .error }.map(\.description)
                    .joined(separator: "; ")
                await setStatus(
                    stored,
                    attempted: revision,
                    ready: false,
                    reason: "BuildFailed",
                    message: message,
                    inventory: nil
                )
                return
            }
            let manager = "Kustomization/\(key.namespace)/\(key.name)"
            var applied: Set<ObjectKey> = []
            // Namespaces first, as kubectl and Flux order them.
            let ordered = loaded.objects.sorted { ($0.kind == "Namespace" ? 0 : 1) < ($1.kind == "Namespace" ? 0 : 1) }
            for object in ordered {
                let namespace = ObjectStore.namespace(
                    kind: object.kind,
                    kustomization.spec.targetNamespace ?? object.namespace,
                    default: kustomization.spec.targetNamespace ?? "default"
                )
                let key = ObjectKey(kind: object.kind, namespace: namespace, name: object.name)
                let manifest = object.node.json
                if lastAppliedManifest[key] == manifest, await store.get(key) != nil {
                    applied.insert(key)
                    continue
                }
                let result = await store.apply(
                    await keepingReplicas(object, key: key),
                    namespaceOverride: kustomization.spec.targetNamespace,
                    defaultNamespace: kustomization.spec.targetNamespace ?? "default",
                    manager: manager
                )
                lastAppliedManifest[result.key] = manifest
                applied.insert(result.key)
            }
            if kustomization.spec.prune {
                for object in await store.all where object.manager == manager && !applied.contains(object.key) {
                    await store.delete(object.key)
                    lastAppliedManifest[object.key] = nil
                }
            }
            appliedRevision[key] = revision
            appliedGeneration[key] = stored.generation
            await setStatus(
                stored,
                attempted: revision,
                ready: true,
                reason: "ReconciliationSucceeded",
                message: "Applied revision: \(revision)",
                inventory: applied.sorted().map(\.description),
                appliedRevision: revision
            )
        } catch {
            await setStatus(
                stored,
                attempted: revision,
                ready: false,
                reason: "BuildFailed",
                message: "\(error)",
                inventory: nil
            )
        }
    }

    /// Flux applies server-side: a field its manifest leaves out and another manager set stays as it is
    /// (kustomize-controller applies through fluxcd/pkg `ssa`; structured-merge-diff keeps fields owned by other
    /// managers). So a Deployment without `replicas` keeps the count Flagger (or an HPA) gave it — a commit does not
    /// scale a canary target that Flagger scaled to zero back up before Flagger decides to.
    private func keepingReplicas(_ object: LoadedObject, key: ObjectKey) async -> LoadedObject {
        guard var deployment = object.object as? Deployment, object.node.find(["spec", "replicas"]) == nil,
            let live = await store.get(Deployment.self, namespace: key.namespace, name: key.name)?.spec.replicas
        else { return object }
        deployment.spec.replicas = live
        var kept = object
        kept.object = deployment
        return kept
    }

    /// `kubectl kustomize` when the directory has a kustomization file, else every YAML file under it.
    private func render(_ path: String) async throws -> String {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw LocalBackendError(.input, "kustomization path not found: \(path)")
        }
        let names = ["kustomization.yaml", "kustomization.yml", "Kustomization"]
        if names.contains(where: { fileManager.fileExists(atPath: path + "/" + $0) }) {
            return try await runner.check(kubectlPath, ["kustomize", path])
        }
        var files: [String] = []
        if let enumerator = fileManager.enumerator(atPath: path) {
            while let relative = enumerator.nextObject() as? String {
                if relative.hasPrefix(".git") || relative.contains("/.git") { continue }
                if relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") { files.append(relative) }
            }
        }
        var out = ""
        for file in files.sorted() {
            let text = try String(contentsOfFile: path + "/" + file, encoding: .utf8)
            out += "---\n" + text + (text.hasSuffix("\n") ? "" : "\n")
        }
        return out
    }

    private func setStatus(
        _ stored: StoredObject,
        attempted: String?,
        ready: Bool,
        reason: String,
        message: String,
        inventory: [String]?,
        appliedRevision: String? = nil
    ) async {
        let previous = stored.status as? KustomizationStatus
        await store.setStatus(
            stored.key,
            KustomizationStatus(
                observedGeneration: stored.generation,
                lastAppliedRevision: appliedRevision ?? previous?.lastAppliedRevision,
                lastAttemptedRevision: attempted,
                conditions: [
                    FluxCondition(type: "Ready", status: ready ? "True" : "False", reason: reason, message: message)
                ],
                inventory: inventory ?? previous?.inventory ?? []
            )
        )
    }
}
