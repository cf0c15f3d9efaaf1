import CurlHTTP
import Foundation
import HarnessServers
import ObjectModel

/// flagger-loadtester's HTTP API (spec/flagger.md §4.2) in process: manual gates, the rollback gate, and `/` tasks —
/// `cmd` (async, deduplicated while running; `hey` runs natively on our load generator, anything else through
/// `sh -c`), and `bash` (blocking). Cluster service names in commands resolve to local endpoints.
public actor Loadtester {
    private var gates: [String: Bool] = [:]
    private var rollbacks: [String: Bool] = [:]
    private var running: Set<String> = []
    /// The `cmd` tasks still running, by their dedupe key; ``stop()`` cancels them.
    private var jobs: [String: Task<Void, Never>] = [:]
    private var server: LocalHTTPServer?
    private let directory: ServiceDirectory
    private let runner: CommandRunner
    private let timeScale: Double
    private let logPath: String
    /// Completed load runs, newest last (for assertions and status).
    public private(set) var loadReports: [(command: String, report: LoadReport)] = []

    public init(directory: ServiceDirectory, workDirectory: WorkDirectory, timeScale: Double) {
        self.directory = directory
        self.runner = CommandRunner(scratchDirectory: workDirectory.scratch)
        self.timeScale = timeScale
        self.logPath = workDirectory.log("loadtester")
    }

    public func start(port: Int) async throws {
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        server = try await LocalHTTPServer(name: "loadtester", port: port) { [weak self] request in
            guard let self else { return .init(status: 503) }
            return await self.handle(request)
        }
    }

    /// Stops serving and cancels the load runs still going (flagger-loadtester's pod going away ends its `hey`s).
    public func stop() async {
        await server?.stop()
        server = nil
        for job in jobs.values { job.cancel() }
        jobs = [:]
        running = []
    }

    public var url: String? { server?.url }

    /// Opens or closes a gate as `/gate/open` would (for scenario steps).
    public func setGate(_ name: String, namespace: String, open: Bool) { gates["\(name).\(namespace)"] = open }

    public func setRollback(_ name: String, namespace: String, open: Bool) {
        rollbacks["rollback.\(name).\(namespace)"] = open
    }

    func handle(_ request: LocalHTTPServer.Request) async -> LocalHTTPServer.Response {
        if request.path == "/healthz" || request.path == "/readyz" { return .init(status: 200, body: "OK") }
        if request.path == "/metrics" { return .init(status: 200, body: "") }
        guard request.method == "POST" else { return .init(status: 405) }
        let payload = CanaryWebhookPayload.decode(request.body)
        let name = payload.map { "\($0.name).\($0.namespace)" } ?? ""
        switch request.path {
        case "/gate/approve": return .init(status: 200, body: "OK")
        case "/gate/halt": return .init(status: 403, body: "Forbidden")
        case "/gate/check":
            guard payload != nil else { return .init(status: 400, body: "invalid payload") }
            return gates[name] == true ? .init(status: 200, body: "Approved") : .init(status: 403, body: "Forbidden")
        case "/gate/open", "/gate/close":
            guard payload != nil else { return .init(status: 400, body: "invalid payload") }
            gates[name] = request.path == "/gate/open"
            return .init(status: 202, body: "Gate \(request.path == "/gate/open" ? "opened" : "closed")")
        case "/rollback/check":
            guard payload != nil else { return .init(status: 400, body: "invalid payload") }
            return rollbacks["rollback.\(name)"] == true
                ? .init(status: 200, body: "Approved") : .init(status: 403, body: "Forbidden")
        case "/rollback/open", "/rollback/close":
            guard payload != nil else { return .init(status: 400, body: "invalid payload") }
            rollbacks["rollback.\(name)"] = request.path == "/rollback/open"
            return .init(status: 202, body: "Rollback gate updated")
        case "/", "":
            guard let payload else { return .init(status: 400, body: "invalid payload") }
            return await task(payload)
        default:
            return .init(status: 404, body: "404 page not found")
        }
    }

    private func task(_ payload: CanaryWebhookPayload) async -> LocalHTTPServer.Response {
        guard let metadata = payload.metadata else { return .init(status: 400, body: "metadata not found in payload") }
        let type = metadata["type"] ?? "cmd"
        guard let command = metadata["cmd"], !command.isEmpty else {
            return .init(status: 400, body: "cmd not found in metadata")
        }
        let resolved = directory.resolveURLs(in: command, defaultNamespace: payload.namespace)
        let namespace = payload.namespace
        switch type {
        case "cmd":
            let dedupe = "\(payload.name).\(payload.namespace):\(command)"
            guard !running.contains(dedupe) else {
                log("command skipped, already running: \(command)")
                return .init(status: 202)
            }
            running.insert(dedupe)
            jobs[dedupe] = Task { await self.runAsync(resolved, original: command, key: dedupe, namespace: namespace) }
            return .init(status: 202)
        case "bash":
            do {
                let output = try await runner.run("/bin/bash", ["-c", resolved], timeout: .seconds(3600))
                log("bash \(command): \(output.status)")
                if output.succeeded {
                    return .init(status: 200, body: metadata["returnCmdOutput"] == "true" ? output.stdout : "")
                }
                return .init(status: 500, body: output.stderr.isEmpty ? output.stdout : output.stderr)
            } catch {
                return .init(status: 500, body: "\(error)")
            }
        default:
            return .init(status: 400, body: "unsupported task type \(type)")
        }
    }

    private func runAsync(_ command: String, original: String, key: String, namespace: String) async {
        defer {
            running.remove(key)
            jobs[key] = nil
        }
        if var hey = HeyCommand(original) {
            let route = directory.route(url: hey.url, defaultNamespace: namespace)
            if hey.host == nil { hey.host = route.host }
            let spec = hey.spec(resolvedURL: route.url, timeScale: timeScale)
            do {
                let report = try await LoadGenerator(spec).run()
                loadReports.append((original, report))
                log("hey done: \(original): \(report.requests) requests, statuses \(report.countsByStatus)")
            } catch {
                log("hey failed: \(original): \(error)")
            }
            return
        }
        do {
            let output = try await runner.run("/bin/sh", ["-c", command], timeout: .seconds(3600))
            log("cmd \(original): \(output.status)\n\(output.stdout)\(output.stderr)")
        } catch {
            log("cmd \(original) failed: \(error)")
        }
    }

    private func log(_ line: String) {
        guard let handle = FileHandle(forWritingAtPath: logPath) else { return }
        handle.seekToEndOfFile()
        handle.write(Data((line + "\n").utf8))
        try? handle.close()
    }
}
