import Foundation
import ObjectModel
import Scenarios
import Synchronization
import YAML

/// A test double: records every call, and plays a scripted canary timeline that starts at the first commit
/// (times in the script are scenario seconds after that commit). Never used outside tests.
final class RecordingBackend: ScenarioBackend {
    let name = "recording"
    let script: [CanaryObservation]
    let traffic: [NamedTrafficSample]
    /// Traffic computed from the canary's whole scripted timeline (as placed after the commit), when given.
    let trafficFromTimeline: (@Sendable ([CanaryObservation]) -> [NamedTrafficSample])?
    let alerts: [ObservedAlert]
    let objects: [String: Node]
    let openError: String?
    /// Alerts become visible this long after the session opened (they travel asynchronously).
    let alertsAfter: Duration
    /// What the session answers for ``ScenarioSession/webhookCallsUnavailable``.
    let webhooksUnavailable: String?
    /// Sessions open at once, at most (to check `--parallel`).
    let concurrency = Mutex((current: 0, peak: 0))
    let sessions = Mutex<[RecordingSession]>([])

    init(
        script: [CanaryObservation],
        traffic: [NamedTrafficSample] = [],
        trafficFromTimeline: (@Sendable ([CanaryObservation]) -> [NamedTrafficSample])? = nil,
        alerts: [ObservedAlert] = [],
        objects: [String: Node] = [:],
        openError: String? = nil,
        alertsAfter: Duration = .zero,
        webhooksUnavailable: String? = nil
    ) {
        self.alertsAfter = alertsAfter
        self.webhooksUnavailable = webhooksUnavailable
        self.script = script
        self.traffic = traffic
        self.trafficFromTimeline = trafficFromTimeline
        self.alerts = alerts
        self.objects = objects
        self.openError = openError
    }

    func openSession(_ setup: SessionSetup) async throws -> any ScenarioSession {
        if let openError { throw ScenarioBackendError(openError) }
        concurrency.withLock { value in
            value.current += 1
            value.peak = max(value.peak, value.current)
        }
        let session = RecordingSession(backend: self, setup: setup)
        sessions.withLock { $0.append(session) }
        return session
    }

    func session(_ scenario: String) -> RecordingSession? {
        sessions.withLock { $0.first { $0.setup.scenario == scenario } }
    }
}

/// One scenario's recorded calls.
final class RecordingSession: ScenarioSession {
    let backend: RecordingBackend
    let setup: SessionSetup
    private let state = Mutex((calls: [String](), trigger: Double?.none, closed: false))

    let opened = ContinuousClock.now

    init(backend: RecordingBackend, setup: SessionSetup) {
        self.backend = backend
        self.setup = setup
    }

    var calls: [String] { state.withLock { $0.calls } }
    var closed: Bool { state.withLock { $0.closed } }

    private func record(_ call: String) { state.withLock { $0.calls.append(call) } }

    func apply(_ manifests: [Node], namespace: String) async throws {
        record("apply \(manifests.compactMap { $0["kind"]?.scalarValue }.joined(separator: ",")) in \(namespace)")
    }

    func delete(_ objects: [ObjectReference]) async throws {
        record("delete \(objects.map(\.description).joined(separator: ","))")
    }

    func object(_ reference: ObjectReference) async throws -> Node? {
        backend.objects["\(reference.kind)/\(reference.name)"]
    }

    func commit(branch: String, message: String, changes: [FileChange]) async throws {
        let now = setup.clock.now
        state.withLock { state in
            state.calls.append("commit \(branch) \(message)")
            if state.trigger == nil { state.trigger = now }
        }
    }

    func merge(from: String, into: String, message: String) async throws { record("merge \(from) \(into)") }

    func startTraffic(_ load: TrafficLoad) async throws {
        record("start \(load.name) \(load.host)\(load.path) duration=\(load.duration.map { "\($0)" } ?? "none")")
    }

    func stopTraffic(_ name: String) async throws { record("stop \(name)") }

    func trafficSamples() async -> [NamedTrafficSample] {
        guard let generate = backend.trafficFromTimeline else { return backend.traffic }
        let trigger = state.withLock { $0.trigger } ?? 0
        let initialized = CanaryObservation(
            t: 0,
            phase: "Initialized",
            canaryWeight: 0,
            routerWeight: 0,
            failedChecks: 0,
            iterations: 0
        )
        return generate(
            [initialized]
                + backend.script.map { observation in
                    var shifted = observation
                    shifted.t += trigger
                    return shifted
                }
        )
    }

    func setGate(canary: String, namespace: String, type: GateAction.GateType, open: Bool) async throws {
        record("gate \(canary).\(namespace) \(type.rawValue) \(open ? "open" : "close")")
    }

    func canaryTimeline(canary: String, namespace: String) async throws -> [CanaryObservation] {
        let initialized = CanaryObservation(
            t: 0,
            phase: "Initialized",
            canaryWeight: 0,
            routerWeight: 0,
            failedChecks: 0,
            iterations: 0
        )
        guard let trigger = state.withLock({ $0.trigger }) else { return [initialized] }
        let now = setup.clock.now
        return [initialized]
            + backend.script.compactMap { observation in
                var shifted = observation
                shifted.t += trigger
                return shifted.t <= now ? shifted : nil
            }
    }

    func alerts() async -> [ObservedAlert] { opened.duration(to: .now) < backend.alertsAfter ? [] : backend.alerts }
    func webhookCalls() async -> [WebhookCall] { [] }
    var webhookCallsUnavailable: String? { backend.webhooksUnavailable }

    func fault(_ fault: FaultAction, namespace: String) async throws {
        record("fault \(fault.action.rawValue) \(fault.target)")
    }

    func collectDiagnostics(into directory: String) async -> [String] {
        record("collect")
        try? "status".write(toFile: directory + "/canary.txt", atomically: true, encoding: .utf8)
        return ["canary.txt"]
    }

    func close() async {
        state.withLock { $0.closed = true }
        backend.concurrency.withLock { $0.current -= 1 }
    }
}
