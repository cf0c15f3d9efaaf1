import CurlHTTP
import Foundation
import HarnessServers
import ObjectModel
import ServiceLifecycle
import YAML

/// The Deployment controller: every replica is a supervised `podinfo` process on its own 127.0.0.1 port. It rolls
/// out template changes (maxSurge 25 %, maxUnavailable 25 %, as Kubernetes defaults), probes readiness on
/// `/readyz`, restarts crashed replicas (the supervisor), and writes Kubernetes-shaped status with the `Available`
/// and `Progressing` conditions, including `ProgressDeadlineExceeded` after `progressDeadlineSeconds` (time-scaled).
public actor DeploymentController: ServiceLifecycle.Service {
    private struct Replica {
        var name: String
        var port: Int
        var hash: String
        var processName: String?
        var ready = false
        var readySince: ContinuousClock.Instant?
        var lastProbe: ContinuousClock.Instant?
        /// The replica's process has answered a probe (with any status): it has started.
        var started = false
    }

    private struct Rollout {
        var replicas: [Replica] = []
        var lastProgress = ContinuousClock.now
        var lastHash = ""
        /// The spec fingerprint `lastHash` was computed for: the template hash (a JSON encoding) is computed once
        /// per spec change, not on every probe pass (every 50 ms for every Deployment of every stack).
        var hashedSpec = ""
        /// The current revision's rollout completed (`Progressing` reason `NewReplicaSetAvailable`). Kubernetes then
        /// stops estimating progress while every replica is of that revision (`syncRolloutStatus`,
        /// pkg/controller/deployment/progress.go: `isCompleteDeployment`): a replica that dies later, or pods that
        /// never get ready after a scale-up, never make it `ProgressDeadlineExceeded`.
        var complete = false
        /// When the `Available` condition last changed (wall-clock seconds, as a `metav1.Time`), and to what.
        var availableSince: Double?
        var available: Bool?
    }

    private let store: ObjectStore
    private let supervisor: ProcessSupervisor
    private let ports: PortAllocator
    private let directory: ServiceDirectory
    private let podinfoPath: String
    private let workDirectory: WorkDirectory
    private let timeScale: Double
    private var cacheServerURL: String?
    /// Images served by in-process servers (repository suffix → port), e.g. the flagger-loadtester.
    private var builtinImages: [String: Int] = [:]
    private var rollouts: [ObjectKey: Rollout] = [:]
    /// How often every replica's `/readyz` is probed (the kubelet's readiness probe, run far more often than its
    /// 10 s `periodSeconds` so that readiness changes reach Flagger's next tick at any time scale).
    static let probePeriod = Duration.milliseconds(50)
    private var onPodsChanged: (@Sendable ([ScrapeTarget]) async -> Void)?
    private var inFlight: Set<ObjectKey> = []
    private var dirty: Set<ObjectKey> = []

    public init(
        store: ObjectStore,
        supervisor: ProcessSupervisor,
        ports: PortAllocator,
        directory: ServiceDirectory,
        podinfoPath: String,
        workDirectory: WorkDirectory,
        timeScale: Double,
        cacheServerURL: String?
    ) {
        self.store = store
        self.supervisor = supervisor
        self.ports = ports
        self.directory = directory
        self.podinfoPath = podinfoPath
        self.workDirectory = workDirectory
        self.timeScale = timeScale
        self.cacheServerURL = cacheServerURL
    }

    /// Serves pods of images whose repository ends with `suffix` from an in-process server on `port`.
    public func registerBuiltinImage(_ suffix: String, port: Int) { builtinImages[suffix] = port }

    /// Called with the Prometheus targets whenever the set of pods changes.
    public func onPodsChanged(_ callback: @escaping @Sendable ([ScrapeTarget]) async -> Void) {
        onPodsChanged = callback
    }

    /// Watches Deployments (and the ConfigMaps and Secrets their pods read) and probes every replica, until the
    /// stack's graceful shutdown: a Deployment is synced when it changes, every replica is probed and every
    /// Deployment reconciled once per ``probePeriod``, and a replica whose process exits is replaced at once.
    public func run() async throws {
        let changes = await store.changes()
        let exits = AsyncStream.makeStream(of: String.self, bufferingPolicy: .unbounded)
        await supervisor.observe { event in
            if case .exited(let name, _, _, _) = event, name.hasPrefix("pod-") { exits.continuation.yield(name) }
        }
        await probeAndReconcileAll()
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    for await event in changes {
                        guard [Deployment.kind, ConfigMap.kind, Secret.kind].contains(event.key.kind) else { continue }
                        // Our own status writes come back as events too; only spec and lifecycle changes matter.
                        if event.key.kind == Deployment.kind, event.change != .statusChanged {
                            await self.sync(event.key)
                        }
                    }
                }
                group.addTask {
                    for await name in exits.stream { await self.processExited(name) }
                }
                group.addTask {
                    while !Task.isCancelled {
                        await self.probeAndReconcileAll()
                        try? await Task.sleep(for: Self.probePeriod)
                    }
                }
            }
        }
        exits.continuation.finish()
    }

    /// The supervisor's name for a replica's process (for fault injection).
    public func processNames(namespace: String, deployment: String) -> [String] {
        rollouts[ObjectKey(kind: Deployment.kind, namespace: namespace, name: deployment)]?.replicas
            .compactMap(\.processName) ?? []
    }

    // MARK: Reconcile

    /// Probes and reconciles one Deployment; calls for a key already being synced are folded into one more pass.
    private func sync(_ key: ObjectKey) async {
        guard !inFlight.contains(key) else {
            dirty.insert(key)
            return
        }
        inFlight.insert(key)
        defer { inFlight.remove(key) }
        repeat {
            guard let stored = await store.get(key) else {
                // Deleted: its replicas go.
                if let rollout = rollouts.removeValue(forKey: key) {
                    for replica in rollout.replicas { await terminate(replica, namespace: key.namespace) }
                    await publishTargets()
                }
                return
            }
            await probe(key)
            await reconcile(key, stored: stored)
        } while dirty.remove(key) != nil
    }

    private func probeAndReconcileAll() async {
        let live = Set(await store.list(kind: Deployment.kind).map(\.key))
        for key in live.union(rollouts.keys).sorted() { await sync(key) }
    }

    /// A replica's process exited: it is not ready from now on (until it is restarted and probed ready).
    private func processExited(_ processName: String) async {
        for (key, rollout) in rollouts {
            guard let index = rollout.replicas.firstIndex(where: { $0.processName == processName }) else { continue }
            rollouts[key]?.replicas[index].lastProbe = nil
            await sync(key)
        }
    }

    private func reconcile(_ key: ObjectKey, stored: StoredObject) async {
        guard let deployment = stored.object as? Deployment else { return }
        var rollout = rollouts[key] ?? Rollout()
        let desired = max(0, deployment.spec.replicas ?? 1)
        let hash =
            rollout.hashedSpec == stored.specFingerprint && !rollout.lastHash.isEmpty
            ? rollout.lastHash : Self.templateHash(deployment.spec.template)
        rollout.hashedSpec = stored.specFingerprint
        if rollout.lastHash != hash {
            rollout.lastHash = hash
            rollout.lastProgress = .now
            rollout.complete = false
        }
        let surge = desired == 0 ? 0 : max(Int((Double(desired) * 0.25).rounded(.up)), 1)
        let maxUnavailable = Int((Double(desired) * 0.25).rounded(.down))
        let recreate = deployment.spec.strategy?["type"]?.scalarValue == "Recreate"
        var changed = false

        var current = rollout.replicas.filter { $0.hash == hash }
        var old = rollout.replicas.filter { $0.hash != hash }
        // Scale the new revision down when there are too many.
        while current.count > desired {
            let index = current.lastIndex { !$0.ready } ?? current.count - 1
            await terminate(current.remove(at: index), namespace: key.namespace)
            changed = true
        }
        if recreate, !old.isEmpty {
            for replica in old { await terminate(replica, namespace: key.namespace) }
            old = []
            changed = true
        }
        // Scale the new revision up within the surge budget.
        while current.count < desired, current.count + old.count < desired + surge {
            do {
                current.append(try await createReplica(deployment, hash: hash))
                rollout.lastProgress = .now
                changed = true
            } catch {
                await store.setStatus(
                    key,
                    status(
                        deployment,
                        hash: hash,
                        generation: stored.generation,
                        current: current,
                        old: old,
                        failure: "\(error)"
                    )
                )
                break
            }
        }
        // Retire old replicas while enough stay available.
        var readyCount = (current + old).filter(\.ready).count
        let minimumAvailable = desired - maxUnavailable
        old.sort { !$0.ready && $1.ready }
        var kept: [Replica] = []
        for replica in old {
            if !replica.ready || readyCount - 1 >= minimumAvailable || current.filter(\.ready).count >= desired {
                if replica.ready { readyCount -= 1 }
                await terminate(replica, namespace: key.namespace)
                changed = true
            } else {
                kept.append(replica)
            }
        }
        rollout.replicas = current + kept
        rollouts[key] = rollout
        if changed { await publishTargets() }
        let newStatus = status(deployment, hash: hash, generation: stored.generation, current: current, old: kept)
        if (stored.status as? DeploymentStatus) != newStatus { await store.setStatus(key, newStatus) }
    }

    private func status(
        _ deployment: Deployment,
        hash: String,
        generation: Int,
        current: [Replica],
        old: [Replica],
        failure: String? = nil
    ) -> DeploymentStatus {
        let key = ObjectKey(
            kind: Deployment.kind,
            namespace: deployment.metadata.namespace ?? "default",
            name: deployment.metadata.name
        )
        let desired = max(0, deployment.spec.replicas ?? 1)
        let maxUnavailable = Int((Double(desired) * 0.25).rounded(.down))
        let minReady = Duration.seconds(Double(deployment.spec.minReadySeconds ?? 0) * timeScale)
        let all = current + old
        let ready = all.filter(\.ready).count
        let available = all.filter { $0.ready && ($0.readySince.map { $0.duration(to: .now) >= minReady } ?? false) }
            .count
        let complete = current.count == desired && old.isEmpty && available >= desired
        let deadline = Double(deployment.spec.progressDeadlineSeconds ?? 600) * timeScale
        let lastProgress = rollouts[key]?.lastProgress ?? .now
        let replicaSet = "\(deployment.metadata.name)-\(hash)"
        // Once the revision completed, no progress is estimated while all replicas are of it (progress.go:
        // `isCompleteDeployment := newStatus.Replicas == newStatus.UpdatedReplicas && reason == NewRSAvailable`).
        let settled = (rollouts[key]?.complete ?? false) && old.isEmpty
        if complete { rollouts[key]?.complete = true }
        let progressing: DeploymentCondition
        if complete || settled {
            progressing = DeploymentCondition(
                type: "Progressing",
                status: "True",
                reason: "NewReplicaSetAvailable",
                message: "ReplicaSet \"\(replicaSet)\" has successfully progressed."
            )
        } else if lastProgress.duration(to: .now) > .seconds(deadline) {
            progressing = DeploymentCondition(
                type: "Progressing",
                status: "False",
                reason: "ProgressDeadlineExceeded",
                message: "ReplicaSet \"\(replicaSet)\" has timed out progressing."
            )
        } else {
            progressing = DeploymentCondition(
                type: "Progressing",
                status: "True",
                reason: failure == nil ? "ReplicaSetUpdated" : "FailedCreate",
                message: failure ?? "ReplicaSet \"\(replicaSet)\" is progressing."
            )
        }
        let isAvailable = available >= desired - maxUnavailable
        // `SetDeploymentCondition` keeps a condition whose status and reason did not change, times included.
        if rollouts[key]?.available != isAvailable {
            rollouts[key]?.available = isAvailable
            rollouts[key]?.availableSince = Date().timeIntervalSince1970
        }
        let availableCondition = DeploymentCondition(
            type: "Available",
            status: isAvailable ? "True" : "False",
            reason: isAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
            message: isAvailable
                ? "Deployment has minimum availability." : "Deployment does not have minimum availability.",
            lastUpdateTime: rollouts[key]?.availableSince
        )
        return DeploymentStatus(
            observedGeneration: generation,
            replicas: all.count,
            updatedReplicas: current.count,
            readyReplicas: ready,
            availableReplicas: available,
            unavailableReplicas: max(0, desired - available),
            conditions: [availableCondition, progressing]
        )
    }

    // MARK: Replicas

    private func createReplica(_ deployment: Deployment, hash: String) async throws -> Replica {
        let namespace = deployment.metadata.namespace ?? "default"
        let name = "\(deployment.metadata.name)-\(hash)-\(Self.randomSuffix())"
        let labels = (deployment.spec.template.metadata?.labels ?? [:]).merging(["pod-template-hash": hash]) { a, _ in a
        }
        guard let container = deployment.spec.template.spec.containers.first else {
            throw LocalBackendError(.input, "Deployment \(namespace)/\(deployment.metadata.name) has no container")
        }
        let image = container.image ?? ""
        let repository = image.split(separator: "@").first.map { String($0.split(separator: ":").first ?? "") } ?? image
        var replica: Replica
        if let builtin = builtinImages.first(where: { repository.hasSuffix($0.key) }) {
            replica = Replica(name: name, port: builtin.value, hash: hash, processName: nil)
        } else {
            let port = try ports.next()
            let podDirectory = workDirectory.path + "/pods/\(namespace)/\(name)"
            try FileManager.default.createDirectory(atPath: podDirectory + "/data", withIntermediateDirectories: true)
            let renderer = PodTemplateRenderer(
                podinfoPath: podinfoPath,
                port: port,
                podName: name,
                namespace: namespace,
                dataDirectory: podDirectory + "/data",
                cacheServerURL: cacheServerURL,
                configMaps: await configData(ConfigMap.self),
                secrets: await configData(Secret.self),
                directory: directory
            )
            let processName = "pod-\(namespace)-\(name)"
            try await supervisor.start(
                ProcessSpec(
                    name: processName,
                    executable: podinfoPath,
                    arguments: renderer.arguments(for: container),
                    environment: renderer.environment(for: container),
                    logPath: workDirectory.logs + "/\(processName).log",
                    restartOnExit: true,
                    gracePeriod: .seconds(
                        Double(deployment.spec.template.spec.terminationGracePeriodSeconds ?? 5) * timeScale + 0.5
                    )
                )
            )
            replica = Replica(name: name, port: port, hash: hash, processName: processName)
        }
        let pod = Pod(
            metadata: ObjectMeta(name: name, namespace: namespace, labels: labels),
            spec: PodRuntimeSpec(
                port: replica.port,
                deployment: deployment.metadata.name,
                templateHash: hash,
                version: container.imageTag,
                hasProcess: replica.processName != nil
            )
        )
        let stored = await store.apply(pod, manager: "Deployment/\(namespace)/\(deployment.metadata.name)")
        await store.setStatus(stored.key, PodStatus(phase: "Pending", ready: false, restartCount: 0))
        return replica
    }

    /// Takes the pod out of the store at once (its endpoints go, as Kubernetes removes a terminating pod from
    /// Endpoints), then stops its process in the background (podinfo drains for its shutdown grace).
    private func terminate(_ replica: Replica, namespace: String) async {
        await store.delete(ObjectKey(kind: Pod.kind, namespace: namespace, name: replica.name))
        guard let processName = replica.processName else { return }
        let supervisor = supervisor
        Task { await supervisor.stop(processName) }
    }

    /// Probes the readiness of the deployment's replicas: not-ready ones every tick, ready ones every 500 ms.
    private func probe(_ key: ObjectKey) async {
        guard var rollout = rollouts[key] else { return }
        let now = ContinuousClock.now
        var changed = false
        var started = false
        await withTaskGroup(of: (Int, Bool, Bool)?.self) { group in
            for (index, replica) in rollout.replicas.enumerated() {
                if replica.ready, let last = replica.lastProbe, last.duration(to: now) < .milliseconds(500) {
                    continue
                }
                let supervisor = supervisor
                group.addTask {
                    if let processName = replica.processName, await supervisor.pid(of: processName) == nil {
                        return (index, false, false)
                    }
                    let url = "http://127.0.0.1:\(replica.port)/readyz"
                    // The kubelet's default probe timeout (`timeoutSeconds: 1`): a release that answers every request
                    // slowly (`--random-delay`, as `rollback-latency`'s) is slow to its probes too, and stays ready.
                    let response = try? await HTTPClient.shared.get(url, timeout: .seconds(1))
                    return (index, response?.status == 200, response != nil)
                }
            }
            for await result in group {
                guard let (index, ready, answered) = result else { continue }
                rollout.replicas[index].lastProbe = now
                if answered, !rollout.replicas[index].started {
                    rollout.replicas[index].started = true
                    started = true
                }
                if rollout.replicas[index].ready != ready {
                    rollout.replicas[index].ready = ready
                    rollout.replicas[index].readySince = ready ? now : nil
                    if ready { rollout.lastProgress = now }
                    changed = true
                }
            }
        }
        // A replica's first answer ends its process start-up, a fixed latency (tens of milliseconds, seconds while
        // a dozen stacks start on two cores) that a scaled run must not count against a scaled deadline: at 0.02
        // a 60 s progress deadline is 1.2 s. The deadlines (the `Available` condition's time, which Flagger's
        // readiness check counts from, and the progress deadline) count from the moment the process answered. At
        // full speed that moves them by the same milliseconds, against a 60 s deadline.
        if started {
            rollout.lastProgress = max(rollout.lastProgress, now)
            if rollout.available == false { rollout.availableSince = Date().timeIntervalSince1970 }
        }
        guard rollouts[key] != nil else { return }
        rollouts[key] = rollout
        guard changed || started else { return }
        for replica in rollout.replicas {
            var restarts = 0
            var pid: Int32?
            if let processName = replica.processName {
                restarts = await supervisor.restartCount(of: processName)
                pid = await supervisor.pid(of: processName)
            }
            let podKey = ObjectKey(kind: Pod.kind, namespace: key.namespace, name: replica.name)
            let phase = replica.ready ? "Running" : (pid == nil && replica.processName != nil ? "Failed" : "Pending")
            if let current = await store.status(PodStatus.self, of: podKey),
                current.ready == replica.ready, current.restartCount == restarts, current.pid == pid
            {
                continue
            }
            await store.setStatus(
                podKey,
                PodStatus(phase: phase, ready: replica.ready, restartCount: restarts, pid: pid)
            )
        }
    }

    private func publishTargets() async {
        var targets: [ScrapeTarget] = []
        for (key, rollout) in rollouts.sorted(by: { $0.key < $1.key }) {
            for replica in rollout.replicas where replica.processName != nil {
                let pod = await store.get(ObjectKey(kind: Pod.kind, namespace: key.namespace, name: replica.name))
                let labels = pod?.labels ?? [:]
                targets.append(
                    ScrapeTarget(
                        address: "127.0.0.1:\(replica.port)",
                        labels: [
                            "kubernetes_namespace": key.namespace,
                            "kubernetes_pod_name": replica.name,
                            "app": labels["app"] ?? labels["app.kubernetes.io/name"] ?? key.name,
                        ]
                    )
                )
            }
        }
        await onPodsChanged?(targets)
    }

    private func configData<T: KubernetesObject>(_ type: T.Type) async -> [String: [String: String]] {
        var out: [String: [String: String]] = [:]
        for object in await store.list(T.self) {
            let key = "\(object.metadata.namespace ?? "default")/\(object.metadata.name)"
            if let map = object as? ConfigMap {
                out[key] = map.data ?? [:]
            } else if let secret = object as? Secret {
                var values = (secret.data ?? [:]).compactMapValues { encoded in
                    Data(base64Encoded: encoded).map { String(decoding: $0, as: UTF8.self) }
                }
                values.merge(secret.stringData ?? [:]) { _, new in new }
                out[key] = values
            }
        }
        return out
    }

    /// A short stable hash of the pod template, as `pod-template-hash`.
    static func templateHash(_ template: PodTemplateSpec) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return stableHash(bytes: Array((try? encoder.encode(template)) ?? Data()))
    }

    /// FNV-1a of `text`, written with Kubernetes' safe alphabet.
    static func stableHash(_ text: String) -> String { stableHash(bytes: Array(text.utf8)) }

    static func stableHash(bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        var text = ""
        for _ in 0..<10 {
            text.append(alphabet[Int(hash % UInt64(alphabet.count))])
            hash /= UInt64(alphabet.count)
        }
        return text
    }

    static func randomSuffix() -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<5).map { _ in alphabet.randomElement() ?? "x" })
    }
}
