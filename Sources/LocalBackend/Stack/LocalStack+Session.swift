import CurlHTTP
import Foundation
import HarnessServers
import ObjectModel
import YAML

/// What a scenario session needs beyond ``LocalStack``'s basics: manifests as nodes, objects as nodes with status,
/// faults, webhook calls, merges.
extension LocalStack {
    /// Applies parsed manifest documents; objects without a namespace go to `namespace`.
    @discardableResult
    public func apply(_ documents: [Node], namespace: String, file: String = "manifest.yaml") async throws
        -> [ObjectKey]
    {
        // An empty load is the public way to get an empty result to fill.
        var loaded = ManifestLoader.load("", file: file)
        for document in documents where !document.isNull {
            ManifestLoader.load(document, file: file, into: &loaded)
        }
        guard !loaded.hasErrors else {
            let messages = loaded.diagnostics.map { (diagnostic: Diagnostic) in diagnostic.description }
            throw LocalBackendError(.input, messages.joined(separator: "\n"))
        }
        var keys: [ObjectKey] = []
        for object in loaded.objects {
            keys.append(await store.apply(pointedAtHarnessRepository(object), defaultNamespace: namespace).key)
        }
        return keys
    }

    /// A GitRepository always follows the harness repository here, whatever its `url` says (the scenario's
    /// manifests name the user's real repository).
    func pointedAtHarnessRepository(_ object: LoadedObject) -> LoadedObject {
        guard let repository, var source = object.object as? GitRepository else { return object }
        source.spec.url = "file://" + repository.url
        var redirected = object
        redirected.object = source
        return redirected
    }

    /// An object as the API would return it: its manifest with `metadata.generation` and the controllers' `status`.
    public func object(kind: String, namespace: String, name: String) async throws -> Node? {
        let key = ObjectKey(
            kind: kind,
            namespace: ObjectKey.clusterScopedKinds.contains(kind) ? "" : namespace,
            name: name
        )
        guard let stored = await store.get(key) else { return nil }
        var node: Node
        if let object = stored.object {
            node = try YAMLEncoder().encodeNode(object)
        } else if let written = stored.node {
            node = written
        } else {
            return nil
        }
        if node["metadata"]?.pairs != nil {
            node = node.setting(["metadata", "generation"], to: .scalar(Scalar(value: "\(stored.generation)")))
        }
        if let status = stored.status { node = node.setting(["status"], to: try YAMLEncoder().encodeNode(status)) }
        return node
    }

    /// Merges `source` into `target` in the harness repository and reconciles GitOps.
    public func merge(from source: String, into target: String, message: String, reconcile: Bool = true) async throws {
        guard let repository else { throw LocalBackendError(.input, "this stack has no git repository (seed: none)") }
        try await repository.merge(from: source, into: target, message: message)
        if reconcile { try await gitOps.reconcileNow() }
    }

    /// Every webhook call the canary controller made, oldest first.
    public func webhookCalls() async -> [WebhookCallRecord] { await canaries.webhookCalls() }

    /// Stops, kills, starts or restarts a component.
    public func fault(_ fault: StackFault, component: StackComponent) async throws {
        if fault == .restart {
            try await self.fault(.stop, component: component)
            try await self.fault(.start, component: component)
            return
        }
        let down = fault == .stop || fault == .kill
        switch component {
        case .nginx:
            if down {
                await stopProcess(IngressController.processName, kill: fault == .kill)
            } else {
                try await ingress.launch()
            }
        case .prometheus:
            if down {
                await stopProcess(PrometheusServer.processName, kill: fault == .kill)
            } else {
                try await prometheus.launch()
                // Prometheus' first scrape comes ~5 s after its start (its target discovery), at any time scale: a
                // fixed latency that at full speed rarely meets one of Flagger's 1m ticks, at 0.02 would meet four
                // ("no values found", failed checks the outage at full speed does not cause). The canary controller
                // holds its ticks until Prometheus scrapes.
                await canaries.pause(.prometheusWarmUp)
                do {
                    try await prometheus.waitUntilScraping()
                } catch {
                    await canaries.resume(.prometheusWarmUp)
                    throw error
                }
                await canaries.resume(.prometheusWarmUp)
            }
        case .redis:
            if down {
                await stopProcess(RedisServer.processName, kill: fault == .kill)
            } else if await !supervisor.isRunning(RedisServer.processName) {
                _ = try await RedisServer.start(
                    supervisor: supervisor,
                    executable: binaries.redisServer,
                    workDirectory: workDirectory,
                    port: redisPort
                )
            }
        case .flagger:
            if down { await canaries.pause() } else { await canaries.resume() }
        case .flux:
            if down { await gitOps.pause() } else { await gitOps.resume() }
        case .loadtester:
            if down { await loadtester.stop() } else { try await loadtester.start(port: Self.port(of: loadtesterURL)) }
        case .alertReceiver:
            if down {
                await alertReceiver.stop()
            } else {
                try await alertReceiver.start(port: Self.port(of: alertReceiverURL))
            }
        }
    }

    /// A fault on replica `index` of a Deployment (every replica when nil): its process gets SIGTERM (stop,
    /// restart) or SIGKILL (kill) and the supervisor restarts it, as the kubelet restarts a container.
    public func fault(_ fault: StackFault, namespace: String, deployment: String, replica index: Int?) async throws {
        guard fault != .start else { return }
        let names = await deployments.processNames(namespace: namespace, deployment: deployment)
        guard !names.isEmpty else {
            throw LocalBackendError(.input, "Deployment \(namespace)/\(deployment) has no running replicas")
        }
        let chosen: [String]
        if let index {
            guard names.indices.contains(index) else {
                throw LocalBackendError(
                    .input,
                    "Deployment \(namespace)/\(deployment) has \(names.count) replicas; replica \(index) does not exist"
                )
            }
            chosen = [names[index]]
        } else {
            chosen = names
        }
        for name in chosen { await supervisor.signal(name, fault == .kill ? SIGKILL : SIGTERM) }
    }

    private func stopProcess(_ name: String, kill: Bool) async {
        if kill {
            await supervisor.signal(name, SIGKILL)
            let deadline = ContinuousClock.now + .seconds(5)
            while await supervisor.isRunning(name), ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(10))
            }
        } else {
            await supervisor.stop(name)
        }
    }

    /// The port of `http://127.0.0.1:<port>` (or `tcp://…`).
    public static func port(of url: String) -> Int { URLParts(url)?.port ?? 0 }
}
