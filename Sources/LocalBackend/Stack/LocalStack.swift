import CurlHTTP
import Foundation
import HarnessServers
import Logging
import ObjectModel
import ServiceLifecycle
import YAML

/// The whole local stack on real processes (DESIGN.md §1, §7): nginx, Prometheus, Redis and podinfo replicas under
/// one supervisor, the ingress metrics exporter, loadtester and alert receiver in process, and the controllers
/// (GitOps, Deployments, ingress) over one object store. This is what `rollout-e2e up` runs and what the scenario
/// runner drives: apply manifests, commit to git, send traffic through ``ingressURL``, inject faults, read status.
public actor LocalStack {
    public nonisolated let workDirectory: WorkDirectory
    public nonisolated let timeScale: Double
    public nonisolated let store: ObjectStore
    public nonisolated let supervisor: ProcessSupervisor
    public nonisolated let services: ServiceDirectory
    /// `http://127.0.0.1:<port>`: send requests here with a `Host` header of an Ingress rule.
    public nonisolated let ingressURL: String
    public nonisolated let prometheusURL: String
    public nonisolated let loadtesterURL: String
    public nonisolated let alertReceiverURL: String
    public nonisolated let redisURL: String
    /// The bare git repository the GitOps controller follows (nil with ``LocalStackOptions/Seed/none``).
    public nonisolated let repository: HarnessRepository?

    let ingress: IngressController
    let exporter: IngressMetricsExporter
    let prometheus: PrometheusServer
    let deployments: DeploymentController
    let autoscalers: AutoscalerController
    let gitOps: GitOpsController
    let loadtester: Loadtester
    let alertReceiver: AlertReceiver
    let canaries: CanaryController
    /// Every Canary's timeline (DESIGN.md §5), also written to `<work dir>/timelines/<namespace>-<name>.jsonl`.
    public nonisolated let timeline: TimelineRecorder
    let binaries: RequiredBinaries
    let redisPort: Int
    /// The stack's one `ServiceGroup` (``startServices()``) and the task that runs it.
    private var serviceGroup: ServiceGroup?
    private var groupRun: Task<Void, Never>?
    private var stopped = false
    private let startedAt = Date()

    /// Everything started; a failure part-way stops what was started before rethrowing.
    public static func start(_ options: LocalStackOptions) async throws -> LocalStack {
        let binaries = try RequiredBinaries.locate()
        let podinfo = try locatePodinfo(options.podinfoPath)
        let workDirectory = WorkDirectory(path: options.workDirectory)
        try workDirectory.claim()
        let supervisor = ProcessSupervisor(pidDirectory: workDirectory.pids)
        do {
            return try await start(
                options,
                binaries: binaries,
                podinfo: podinfo,
                workDirectory: workDirectory,
                supervisor: supervisor
            )
        } catch {
            await supervisor.stopAll()
            workDirectory.release()
            throw error
        }
    }

    private static func start(
        _ options: LocalStackOptions,
        binaries: RequiredBinaries,
        podinfo: String,
        workDirectory: WorkDirectory,
        supervisor: ProcessSupervisor
    ) async throws -> LocalStack {
        let store = ObjectStore()
        let ports = PortAllocator()
        let services = ServiceDirectory()
        let ingress = try IngressController(
            store: store,
            supervisor: supervisor,
            directory: services,
            ports: ports,
            nginxPath: binaries.nginx,
            workDirectory: workDirectory
        )
        let exporter = IngressMetricsExporter(accessLogPath: ingress.accessLogPath)
        let exporterPort = try ports.next()
        let prometheus = try PrometheusServer(
            supervisor: supervisor,
            executable: binaries.prometheus,
            workDirectory: workDirectory,
            port: try ports.next(),
            timeScale: options.timeScale
        )
        let loadtester = Loadtester(directory: services, workDirectory: workDirectory, timeScale: options.timeScale)
        let loadtesterPort = try ports.next()
        let alertReceiver = AlertReceiver()
        let alertPort = try ports.next()
        let redisPort = try ports.next()

        do {
            // The slow starters (Prometheus, nginx) run side by side.
            async let redisStarted = RedisServer.start(
                supervisor: supervisor,
                executable: binaries.redisServer,
                workDirectory: workDirectory,
                port: redisPort
            )
            async let prometheusStarted: Void = prometheus.start(exporterAddress: "127.0.0.1:\(exporterPort)")
            try await exporter.start(port: exporterPort)
            try await loadtester.start(port: loadtesterPort)
            try await alertReceiver.start(port: alertPort)
            try await ingress.start()
            let redis = try await redisStarted
            try await prometheusStarted

            let deployments = DeploymentController(
                store: store,
                supervisor: supervisor,
                ports: ports,
                directory: services,
                podinfoPath: podinfo,
                workDirectory: workDirectory,
                timeScale: options.timeScale,
                cacheServerURL: redis.cacheServerURL
            )
            await deployments.registerBuiltinImage("flagger-loadtester", port: loadtesterPort)
            // Reachable by their usual names from any namespace, also when no manifest deploys them.
            services.registerBuiltin(namespace: "*", name: "flagger-loadtester", port: loadtesterPort)
            services.registerBuiltin(namespace: "*", name: "alert-receiver", port: alertPort)
            // The Service ingress-nginx installs: load-test commands written for a cluster aim at it.
            services.registerBuiltin(namespace: "ingress-nginx", name: "ingress-nginx-controller", port: ingress.port)
            await deployments.onPodsChanged { targets in try? await prometheus.setPodTargets(targets) }
            let autoscalers = AutoscalerController(store: store, timeScale: options.timeScale)
            let gitOps = try GitOpsController(
                store: store,
                gitPath: binaries.git,
                kubectlPath: binaries.kubectl,
                workDirectory: workDirectory,
                timeScale: options.timeScale
            )

            let timeline = TimelineRecorder(directory: workDirectory.timelines, timeScale: options.timeScale)
            let canaries = CanaryController(
                store: store,
                ingress: ingress,
                services: services,
                prometheus: PrometheusClient(
                    address: prometheus.url,
                    timeout: .milliseconds(max(1000, Int(5000 * options.timeScale)))
                ),
                timeScale: options.timeScale,
                timeline: timeline
            )

            var repository: HarnessRepository?
            var seed: [String: String]?
            switch options.seed {
            case .defaultApp: seed = DefaultApp.files
            case .directory(let path): seed = HarnessRepository.files(in: path)
            case .files(let files): seed = files
            case .none: seed = nil
            }
            if let seed {
                repository = try await HarnessRepository.create(
                    root: workDirectory.git,
                    gitPath: binaries.git,
                    scratchDirectory: workDirectory.scratch,
                    seed: seed,
                    branches: options.branches
                )
            }

            let stack = LocalStack(
                workDirectory: workDirectory,
                timeScale: options.timeScale,
                store: store,
                supervisor: supervisor,
                services: services,
                ingress: ingress,
                exporter: exporter,
                prometheus: prometheus,
                deployments: deployments,
                autoscalers: autoscalers,
                gitOps: gitOps,
                loadtester: loadtester,
                alertReceiver: alertReceiver,
                canaries: canaries,
                timeline: timeline,
                binaries: binaries,
                redisURL: redis.cacheServerURL,
                loadtesterURL: "http://127.0.0.1:\(loadtesterPort)",
                alertReceiverURL: "http://127.0.0.1:\(alertPort)",
                repository: repository
            )
            await stack.startServices()
            do {
                if let repository, options.applyFluxObjects {
                    try await stack.apply(
                        DefaultApp.fluxObjects(
                            repositoryURL: repository.url,
                            branch: options.branches.first ?? "main",
                            path: options.kustomizationPath
                        ),
                        file: "flux-system.yaml"
                    )
                    try await gitOps.reconcileNow()
                }
                if options.waitForDeployments { try await stack.waitForDeployments(timeout: .seconds(30)) }
                // The ingress reloads on its own, shortly after changes; "up" means it already routes what is applied.
                try await ingress.sync()
                // Started first, Prometheus has usually spent its 5 s discovery delay while the rest came up.
                try await prometheus.waitUntilScraping()
            } catch {
                await stack.stop()
                throw error
            }
            return stack
        } catch {
            // The in-process servers are not children: stop them here (the caller stops the processes).
            await exporter.stop()
            await loadtester.stop()
            await alertReceiver.stop()
            throw error
        }
    }

    private init(
        workDirectory: WorkDirectory,
        timeScale: Double,
        store: ObjectStore,
        supervisor: ProcessSupervisor,
        services: ServiceDirectory,
        ingress: IngressController,
        exporter: IngressMetricsExporter,
        prometheus: PrometheusServer,
        deployments: DeploymentController,
        autoscalers: AutoscalerController,
        gitOps: GitOpsController,
        loadtester: Loadtester,
        alertReceiver: AlertReceiver,
        canaries: CanaryController,
        timeline: TimelineRecorder,
        binaries: RequiredBinaries,
        redisURL: String,
        loadtesterURL: String,
        alertReceiverURL: String,
        repository: HarnessRepository?
    ) {
        self.workDirectory = workDirectory
        self.timeScale = timeScale
        self.store = store
        self.supervisor = supervisor
        self.services = services
        self.ingress = ingress
        self.exporter = exporter
        self.prometheus = prometheus
        self.deployments = deployments
        self.autoscalers = autoscalers
        self.gitOps = gitOps
        self.loadtester = loadtester
        self.alertReceiver = alertReceiver
        self.canaries = canaries
        self.timeline = timeline
        self.redisURL = redisURL
        self.redisPort = Int(redisURL.split(separator: ":").last ?? "") ?? 0
        self.binaries = binaries
        self.repository = repository
        self.ingressURL = "http://127.0.0.1:\(ingress.port)"
        self.prometheusURL = prometheus.url
        self.loadtesterURL = loadtesterURL
        self.alertReceiverURL = alertReceiverURL
    }

    // MARK: Driving the stack

    /// Applies manifests (one or more YAML documents) directly to the store, as `kubectl apply` would.
    @discardableResult
    public func apply(_ text: String, file: String = "manifest.yaml") async throws -> [ObjectKey] {
        let loaded = ManifestLoader.load(text, file: file)
        guard !loaded.hasErrors else {
            throw LocalBackendError(.input, loaded.diagnostics.map(\.description).joined(separator: "\n"))
        }
        var keys: [ObjectKey] = []
        for object in loaded.objects { keys.append(await store.apply(pointedAtHarnessRepository(object)).key) }
        return keys
    }

    /// Deletes an object (`kubectl delete`).
    @discardableResult
    public func delete(kind: String, namespace: String, name: String) async -> Bool {
        await store.delete(ObjectKey(kind: kind, namespace: namespace, name: name))
    }

    /// Commits files (path → content, nil deletes) to the harness repository and reconciles GitOps at once, like a
    /// push followed by `flux reconcile kustomization --with-source`. Returns the commit sha.
    @discardableResult
    public func commit(
        _ files: [String: String?],
        branch: String = "main",
        message: String,
        reconcile: Bool = true
    ) async throws -> String {
        guard let repository else { throw LocalBackendError(.input, "this stack has no git repository (seed: none)") }
        let sha = try await repository.commit(files: files, branch: branch, message: message)
        if reconcile { try await gitOps.reconcileNow() }
        return sha
    }

    /// `flux reconcile`: fetch every GitRepository and apply every Kustomization now.
    public func reconcileGitOps() async throws { try await gitOps.reconcileNow() }

    /// The status of a Deployment.
    public func deploymentStatus(namespace: String, name: String) async -> DeploymentStatus? {
        await store.status(
            DeploymentStatus.self,
            of: ObjectKey(kind: Deployment.kind, namespace: namespace, name: name)
        )
    }

    /// The pods of a Deployment with their status, oldest first.
    public func pods(namespace: String, deployment: String) async -> [(pod: Pod, status: PodStatus?)] {
        await store.list(kind: Pod.kind, namespace: namespace).compactMap { stored in
            guard let pod = stored.object as? Pod, pod.spec.deployment == deployment else { return nil }
            return (pod, stored.status as? PodStatus)
        }
    }

    /// Kills one replica's process with `signal` (a crash); the supervisor restarts it. Returns whether one was found.
    @discardableResult
    public func killReplica(namespace: String, deployment: String, index: Int = 0, signal: Int32 = SIGKILL) async
        -> Bool
    {
        let names = await deployments.processNames(namespace: namespace, deployment: deployment)
        guard names.indices.contains(index) else { return false }
        await supervisor.signal(names[index], signal)
        return true
    }

    /// A Prometheus client for this stack (Flagger's query semantics).
    public nonisolated var prometheusClient: PrometheusClient { PrometheusClient(address: prometheusURL) }

    /// Every alert the receiver got.
    public func alerts() async -> [ReceivedAlert] { await alertReceiver.alerts }

    /// The in-process loadtester (gates, rollback gate, load runs).
    public nonisolated var loadtesterServer: Loadtester { loadtester }

    /// The status the canary controller wrote for a Canary.
    public func canaryStatus(namespace: String, name: String) async -> CanaryStatusRecord? {
        await store.status(CanaryStatusRecord.self, of: ObjectKey(kind: Canary.kind, namespace: namespace, name: name))
    }

    /// Waits until every Canary in the store has reached `phase` (e.g. Initialized after `up`); returns how long
    /// that took.
    @discardableResult
    public func waitForCanaries(phase: String = "Initialized", timeout: Duration) async throws -> Duration {
        let began = ContinuousClock.now
        while true {
            var pending: [String] = []
            for stored in await store.list(kind: Canary.kind) {
                let current = (stored.status as? CanaryStatusRecord)?.phase ?? "Initializing"
                if current != phase { pending.append("\(stored.key.namespace)/\(stored.key.name) (\(current))") }
            }
            if pending.isEmpty { return began.duration(to: .now) }
            guard began.duration(to: .now) < timeout else {
                throw LocalBackendError(
                    .startup,
                    "Canaries not \(phase) within \(timeout): \(pending.joined(separator: ", "))"
                )
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits until every Deployment in the store is available with all replicas updated.
    public func waitForDeployments(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            var pending: [String] = []
            for stored in await store.list(kind: Deployment.kind) {
                guard let deployment = stored.object as? Deployment else { continue }
                let desired = deployment.spec.replicas ?? 1
                let status = stored.status as? DeploymentStatus
                if status.map({
                    $0.availableReplicas < desired || $0.updatedReplicas < desired || $0.replicas != desired
                })
                    ?? true
                {
                    pending.append(
                        "\(stored.key.namespace)/\(stored.key.name) (\(status?.readyReplicas ?? 0)/\(desired) ready)"
                    )
                }
            }
            if pending.isEmpty { return }
            guard ContinuousClock.now < deadline else {
                throw LocalBackendError(
                    .startup,
                    "Deployments not available within \(timeout): \(pending.joined(separator: ", "))"
                )
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    // MARK: Status

    /// What `rollout-e2e status` shows.
    public func state() async -> StackState {
        var components: [StackState.Component] = []
        for (name, url) in [
            ("nginx", ingressURL), ("prometheus", prometheusURL), ("redis", redisURL),
        ] {
            let pid = await supervisor.pid(of: name)
            components.append(StackState.Component(name: name, url: url, pid: pid, running: pid != nil))
        }
        for name in await supervisor.runningNames where name.hasPrefix("pod-") {
            components.append(
                StackState.Component(name: name, url: nil, pid: await supervisor.pid(of: name), running: true)
            )
        }
        var deploymentSummaries: [StackState.DeploymentSummary] = []
        for stored in await store.list(kind: Deployment.kind) {
            guard let deployment = stored.object as? Deployment else { continue }
            let status = stored.status as? DeploymentStatus
            deploymentSummaries.append(
                StackState.DeploymentSummary(
                    namespace: stored.key.namespace,
                    name: stored.key.name,
                    desired: deployment.spec.replicas ?? 1,
                    ready: status?.readyReplicas ?? 0,
                    updated: status?.updatedReplicas ?? 0,
                    available: status?.condition("Available")?.status == "True"
                )
            )
        }
        var canaries: [StackState.CanarySummary] = []
        for stored in await store.list(kind: Canary.kind) {
            let status = stored.status as? CanaryStatusRecord
            canaries.append(
                StackState.CanarySummary(
                    namespace: stored.key.namespace,
                    name: stored.key.name,
                    phase: status?.phase ?? "Initializing",
                    canaryWeight: status?.canaryWeight ?? 0,
                    failedChecks: status?.failedChecks ?? 0
                )
            )
        }
        return StackState(
            harnessPID: getpid(),
            workDirectory: workDirectory.path,
            ingressURL: ingressURL,
            timeScale: timeScale,
            startedAt: startedAt.timeIntervalSince1970,
            components: components,
            deployments: deploymentSummaries,
            canaries: canaries
        )
    }

    /// Runs the controllers and the stack's servers and processes as one `ServiceGroup`. Its graceful shutdown, in
    /// reverse order of this list, is ``stop()``: the state writer, the canary, GitOps, HPA, Deployment and ingress
    /// controllers, then the child processes (so nothing scrapes or proxies to what follows), then the in-process
    /// servers. Signals are not the group's: one harness process runs many stacks (`run --parallel`) and its one
    /// signal handler (the CLI's `SignalWatcher`) stops each stack, so every stack stops in this order.
    private func startServices() {
        let exporter = exporter
        let loadtester = loadtester
        let alertReceiver = alertReceiver
        let services: [any ServiceLifecycle.Service] = [
            StackServices.InProcessServer(name: "ingress-metrics-exporter") { await exporter.stop() },
            StackServices.InProcessServer(name: "loadtester") { await loadtester.stop() },
            StackServices.InProcessServer(name: "alert-receiver") { await alertReceiver.stop() },
            StackServices.ChildProcesses(supervisor: supervisor),
            ingress, deployments, autoscalers, gitOps, canaries,
            StackServices.StateWriter(stack: self),
        ]
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                logger: Logger(label: "rollout-e2e.local-stack", factory: { _ in SwiftLogNoOpLogHandler() })
            )
        )
        serviceGroup = group
        let log = workDirectory.log("stack")
        groupRun = Task {
            do {
                try await group.run()
            } catch {
                let line = "rollout-e2e: the stack's services stopped: \(error)\n"
                if let handle = FileHandle(forWritingAtPath: log) ?? Self.create(log) {
                    handle.seekToEndOfFile()
                    handle.write(Data(line.utf8))
                    try? handle.close()
                }
            }
        }
    }

    private static func create(_ path: String) -> FileHandle? {
        FileManager.default.createFile(atPath: path, contents: nil)
        return FileHandle(forWritingAtPath: path)
    }

    func writeState() async {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(await state()) else { return }
        let path = workDirectory.stateFile
        try? data.write(to: URL(fileURLWithPath: path + ".tmp"))
        _ = rename(path + ".tmp", path)
    }

    // MARK: Stopping

    /// Stops everything: controllers, in-process servers, then every child process (SIGTERM, SIGKILL after the
    /// grace period), and gives up the work directory (its logs stay).
    public func stop() async {
        guard !stopped else { return }
        stopped = true
        if let serviceGroup, let groupRun {
            await serviceGroup.triggerGracefulShutdown()
            await groupRun.value
        }
        // Already done by the group's shutdown; here for a group stopped before it ran its services (a start that
        // failed right after starting them). Each of these is a no-op the second time.
        await supervisor.stopAll()
        await exporter.stop()
        await loadtester.stop()
        await alertReceiver.stop()
        await store.closeFeeds()
        try? FileManager.default.removeItem(atPath: workDirectory.stateFile)
        workDirectory.release()
    }

    // MARK: Locating podinfo

    /// The `podinfo` executable: `explicit`, or the one next to `rollout-e2e`; throws `.missingBinary` when absent.
    public static func locatePodinfo(_ explicit: String?) throws -> String {
        if let explicit {
            guard FileManager.default.isExecutableFile(atPath: explicit) else {
                throw LocalBackendError(
                    .missingBinary,
                    "no podinfo executable at \(explicit) (--podinfo); build one with "
                        + "`swift build -c release --product podinfo` (make podinfo-release)"
                )
            }
            return explicit
        }
        var candidates: [String] = []
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: executable).deletingLastPathComponent().path + "/podinfo")
        }
        candidates.append(
            URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
                + "/podinfo"
        )
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return found }
        throw LocalBackendError(
            .missingBinary,
            "podinfo not found next to rollout-e2e (\(candidates.joined(separator: ", "))); build it with `swift build`"
        )
    }
}
