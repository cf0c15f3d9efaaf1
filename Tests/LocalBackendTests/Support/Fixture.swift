import Foundation
import HarnessServers
import LocalBackend
import ObjectModel
import ServiceLifecycle
import TestSupport

/// A temp work directory, store, supervisor and port allocator for one test; ``run(_:)`` always stops every child
/// and removes the directory, also when the test body throws.
struct Fixture {
    let workDirectory: WorkDirectory
    let store = ObjectStore()
    let supervisor: ProcessSupervisor
    let ports = PortAllocator()
    let directory = ServiceDirectory()

    init() throws {
        _ = Self.deadRunsCleaned
        workDirectory = WorkDirectory(path: NSTemporaryDirectory() + "rollout-e2e-test-\(UUID().uuidString.prefix(8))")
        try workDirectory.claim()
        supervisor = ProcessSupervisor(pidDirectory: workDirectory.pids)
    }

    /// Work directories of earlier test runs that died (a crashed test process cannot stop its children): their
    /// children are stopped once per process, as `rollout-e2e up` does for its own directory.
    static let deadRunsCleaned: Bool = {
        let temporary = NSTemporaryDirectory()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
        for entry in entries
        where ["rollout-e2e-test-", "rollout-stack-", "rollout-up-"].contains(where: entry.hasPrefix) {
            let directory = WorkDirectory(path: temporary + entry)
            // Only runs that certainly died: their owner's pid file names a dead process. (A directory without one
            // may be a run that is starting right now.)
            let pidFile = directory.path + "/harness.pid"
            guard FileManager.default.fileExists(atPath: pidFile), directory.ownerPID == nil else { continue }
            directory.cleanStale()
        }
        return true
    }()

    /// Live processes whose command line mentions `text` (a work directory path): what must be gone after a stop.
    static func processes(mentioning text: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { pid in
            guard pid != getpid(), StaleProcesses.isAlive(pid),
                let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
            else { return false }
            // The process guard (named rollout-guard) ends by itself once the harness has; the hard-stop tests check
            // that it does. When it cannot re-execute itself it keeps the harness's command line, hence this filter.
            let name = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
            if name.hasPrefix("rollout-guard") { return false }
            return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(text)
        }
    }

    static func run<T>(_ body: (Fixture) async throws -> T) async throws -> T {
        let fixture = try Fixture()
        do {
            let result = try await body(fixture)
            await fixture.supervisor.stopAll()
            fixture.workDirectory.cleanStale()
            return result
        } catch {
            await fixture.supervisor.stopAll()
            fixture.workDirectory.cleanStale()
            throw error
        }
    }

    func binary(_ name: String, _ package: String) throws -> String {
        do {
            return try requireBinary(name, debianPackage: package)
        } catch {
            throw TestSupportError("\(error) (PATH=\(ProcessInfo.processInfo.environment["PATH"] ?? "unset"))")
        }
    }

    /// Registers a ready pod served by an in-process HTTP server answering `body` (a stand-in for podinfo).
    func fakePod(
        name: String,
        namespace: String = "test",
        labels: [String: String],
        body: String
    ) async throws -> LocalHTTPServer {
        let server = try await LocalHTTPServer(name: name, port: try ports.next()) { _ in
            .init(status: 200, body: body)
        }
        let pod = Pod(
            metadata: ObjectMeta(name: name, namespace: namespace, labels: labels),
            spec: PodRuntimeSpec(
                port: server.port,
                deployment: name,
                templateHash: "test",
                version: nil,
                hasProcess: false
            )
        )
        let stored = await store.apply(pod)
        await store.setStatus(stored.key, PodStatus(phase: "Running", ready: true, restartCount: 0))
        return server
    }

    /// The manifests of a podinfo-like app: Services `podinfo` and `podinfo-canary`, Ingress `podinfo` on
    /// app.example.com and, when `canaryAnnotations` is given, the canary Ingress `podinfo-canary`.
    func applyApp(canaryAnnotations: [String: String]?) async throws {
        var text = """
            apiVersion: v1
            kind: Service
            metadata: {name: podinfo, namespace: test}
            spec:
              selector: {app: podinfo-primary}
              ports: [{name: http, port: 9898, targetPort: http}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: podinfo-canary, namespace: test}
            spec:
              selector: {app: podinfo}
              ports: [{name: http, port: 9898, targetPort: http}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: podinfo, namespace: test}
            spec:
              ingressClassName: nginx
              rules:
                - host: app.example.com
                  http:
                    paths:
                      - {path: /, pathType: Prefix, backend: {service: {name: podinfo, port: {number: 9898}}}}
            """
        if let canaryAnnotations {
            let annotations = canaryAnnotations.map { "    \($0.key): \"\($0.value)\"" }.sorted().joined(
                separator: "\n"
            )
            text += """

                ---
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: podinfo-canary
                  namespace: test
                  annotations:
                \(annotations)
                spec:
                  ingressClassName: nginx
                  rules:
                    - host: app.example.com
                      http:
                        paths:
                          - {path: /, pathType: Prefix, backend: {service: {name: podinfo-canary, port: {number: 9898}}}}
                """
        }
        let loaded = ManifestLoader.load(text, file: "app.yaml")
        guard !loaded.hasErrors else { throw TestSupportError("\(loaded.diagnostics)") }
        for object in loaded.objects { await store.apply(object) }
    }
}

/// Runs a controller's service loop (`run()`) while `body` runs, as the stack's `ServiceGroup` would, and cancels it
/// after.
func whileRunning<T: Sendable>(
    _ service: some ServiceLifecycle.Service,
    _ body: () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await service.run() }
        defer { group.cancelAll() }
        return try await body()
    }
}
