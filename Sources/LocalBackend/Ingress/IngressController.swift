import CurlHTTP
import Foundation
import HarnessServers
import ObjectModel
import ServiceLifecycle

/// The ingress controller: a real nginx whose config is rendered from the store's Ingress, Service and Pod objects
/// and reloaded gracefully (`nginx -s reload`) whenever the rendered config changes.
public actor IngressController: ServiceLifecycle.Service {
    private let store: ObjectStore
    private let supervisor: ProcessSupervisor
    private let directory: ServiceDirectory
    private let ports: PortAllocator
    private let nginxPath: String
    private let runner: CommandRunner
    private let configDirectory: String
    private let logPath: String
    /// The JSON access log the metrics exporter tails.
    public nonisolated let accessLogPath: String
    /// Where the ingress listens on 127.0.0.1.
    public nonisolated let port: Int

    private var serviceListeners: [String: Int] = [:]
    private var renderedConfig = ""
    private var version = 0

    static let processName = "nginx"

    public init(
        store: ObjectStore,
        supervisor: ProcessSupervisor,
        directory: ServiceDirectory,
        ports: PortAllocator,
        nginxPath: String,
        workDirectory: WorkDirectory
    ) throws {
        self.store = store
        self.supervisor = supervisor
        self.directory = directory
        self.ports = ports
        self.nginxPath = nginxPath
        self.configDirectory = try workDirectory.component("nginx")
        self.logPath = workDirectory.log("nginx")
        self.accessLogPath = workDirectory.logs + "/ingress-access.log"
        self.runner = CommandRunner(scratchDirectory: workDirectory.scratch)
        self.port = try ports.next()
    }

    public var configPath: String { configDirectory + "/nginx.conf" }

    /// Writes the first config, starts nginx and waits until it accepts connections.
    public func start() async throws {
        for sub in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"] {
            try FileManager.default.createDirectory(
                atPath: configDirectory + "/" + sub,
                withIntermediateDirectories: true
            )
        }
        _ = FileManager.default.createFile(atPath: accessLogPath, contents: nil)
        let config = try await render()
        try write(config)
        try await launch()
    }

    /// Starts the nginx process with the current config (again, after a fault stopped it) and waits until it serves.
    public func launch() async throws {
        if await supervisor.isRunning(Self.processName) { return }
        try await supervisor.start(
            ProcessSpec(
                name: Self.processName,
                executable: nginxPath,
                arguments: ["-p", configDirectory, "-c", configPath, "-g", "daemon off;"],
                environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"],
                logPath: logPath,
                gracePeriod: .seconds(3)
            )
        )
        try await waitForVersion(version, within: .seconds(10))
    }

    /// Keeps nginx's config in step with the store until the stack's graceful shutdown: a change to an Ingress,
    /// Service or Pod re-renders it and reloads nginx (bursts coalesced into one reload). The supervisor stops the
    /// process.
    public func run() async throws {
        let changes = await store.changes()
        await cancelWhenGracefulShutdown { await self.watch(changes) }
    }

    /// Re-renders the config now and, when it changed, reloads nginx and waits until the new config serves.
    ///
    /// Syncs run one at a time: the actor is reentrant at every `await`, and a second sync that rendered the same
    /// config while the first was still waiting for nginx would return at once, before nginx serves the new weight
    /// (the store watch and the canary controller both sync after a routing change). Each caller waits for the
    /// sync in flight, then runs its own.
    public func sync() async throws {
        while let running = inFlight { _ = await running.result }
        syncs += 1
        let number = syncs
        // The task clears `inFlight` itself, on the actor, before it completes: a waiter woken by its completion
        // then finds either nothing in flight or the next caller's sync, never a finished one to spin on.
        let task = Task {
            defer { if syncs == number { inFlight = nil } }
            try await syncNow()
        }
        inFlight = task
        try await task.value
    }

    private var inFlight: Task<Void, any Error>?
    private var syncs = 0

    private func syncNow() async throws {
        let config = try await render()
        guard config != renderedConfig else { return }
        try write(config)
        // A stopped nginx (a fault) picks the new config up when it starts again.
        guard await supervisor.isRunning(Self.processName) else { return }
        try await runner.check(nginxPath, ["-p", configDirectory, "-c", configPath, "-s", "reload"])
        try await waitForVersion(version, within: .seconds(10))
    }

    /// The rendered config version nginx answers with right now.
    public func servedVersion() async -> Int? {
        let url = "http://127.0.0.1:\(port)/__rollout-e2e/config-version"
        guard let response = try? await HTTPClient.shared.get(url, timeout: .seconds(1)), response.status == 200
        else {
            return nil
        }
        return Int(response.text)
    }

    // MARK: Internals

    private func watch(_ changes: AsyncStream<ObjectEvent>) async {
        let relevant: Set<String> = ["Ingress", "Service", "Pod"]
        var pending = false
        for await event in changes where relevant.contains(event.key.kind) {
            if pending { continue }
            pending = true
            // Coalesce bursts (a rollout changes many pods at once) into one reload.
            try? await Task.sleep(for: .milliseconds(20))
            pending = false
            if Task.isCancelled { return }
            do {
                try await sync()
            } catch {
                appendLog("rollout-e2e: nginx reload failed: \(error)")
            }
        }
    }

    private func render() async throws -> String {
        let services = await store.list(Service.self)
        let ingresses = await store.list(Ingress.self)
        let pods = await store.list(kind: Pod.kind).compactMap { stored -> (pod: Pod, status: PodStatus?)? in
            guard let pod = stored.object as? Pod else { return nil }
            return (pod, stored.status as? PodStatus)
        }
        for service in services {
            for servicePort in service.spec.ports ?? [] {
                let key = "\(service.metadata.namespace ?? "default")/\(service.metadata.name):\(servicePort.port)"
                if serviceListeners[key] == nil { serviceListeners[key] = try ports.next() }
            }
        }
        directory.setListeners(serviceListeners)
        let hosts = ingresses.flatMap { $0.spec.rules ?? [] }.compactMap(\.host)
        directory.setIngress(port: port, hosts: Set(hosts))
        let config = NginxConfig(
            ingresses: ingresses,
            services: services,
            endpoints: EndpointsTable.compute(services: services, pods: pods, builtin: directory.builtinEndpoints),
            serviceListeners: serviceListeners,
            ingressPort: port,
            directory: configDirectory,
            accessLogPath: accessLogPath,
            runAsRoot: getuid() == 0
        )
        return config.render()
    }

    /// Writes the template with the next version substituted.
    private func write(_ template: String) throws {
        version += 1
        renderedConfig = template
        let config = template.replacingOccurrences(of: NginxConfig.versionMarker, with: String(version))
        let temporary = configPath + ".tmp"
        try config.write(toFile: temporary, atomically: false, encoding: .utf8)
        _ = rename(temporary, configPath)
    }

    private func waitForVersion(_ wanted: Int, within limit: Duration) async throws {
        try await waitUntil(
            { (await servedVersion()).map { $0 >= wanted } ?? false },
            whileRunning: Self.processName,
            on: supervisor,
            timeout: limit,
            every: .milliseconds(10),
            failure: "nginx did not serve config version \(wanted) on 127.0.0.1:\(port) within \(limit)",
            logPath: logPath
        )
    }

    private func appendLog(_ line: String) {
        guard let handle = FileHandle(forWritingAtPath: logPath) else { return }
        handle.seekToEndOfFile()
        handle.write(Data((line + "\n").utf8))
        try? handle.close()
    }
}
