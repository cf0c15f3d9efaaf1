import ObjectModel
import Synchronization

/// Polls one Canary on the cluster into timeline records: a record whenever its phase, weights, failed checks
/// or iterations change, and one per new Flagger event (DESIGN.md §5).
///
/// Assertions need history, not the last status: Flagger zeroes `failedChecks` when it rolls back.
public final class CanaryPoller: Sendable {
    public let name: String
    public let namespace: String
    private let target: ClusterTarget
    private let runner: any CommandRunner

    private struct State {
        var last: CanaryObservation?
        var seenEvents: Set<String> = []
    }
    private let state = Mutex(State())

    public init(name: String, namespace: String, target: ClusterTarget, runner: any CommandRunner) {
        self.name = name
        self.namespace = namespace
        self.target = target
        self.runner = runner
    }

    /// `kubectl get canary NAME -o json`.
    public var canaryCommand: Command {
        Command("kubectl", target.kubectlFlags + ["--namespace", namespace, "get", "canary", name, "--output=json"])
    }

    /// `kubectl get ingress NAME -o json` (the canary Ingress, `--ignore-not-found` before Flagger made it).
    public func ingressCommand(_ ingress: String) -> Command {
        Command(
            "kubectl",
            target.kubectlFlags + [
                "--namespace", namespace, "get", "ingress", ingress, "--ignore-not-found", "--output=json",
            ]
        )
    }

    /// `kubectl get events` of the Canary whose `metadata.uid` is `uid`.
    ///
    /// Selected by uid, not by kind and name: Events outlive their object (one hour by default) and every scenario
    /// recreates the same Canary (podinfo in test), so a name selector also returns the previous Canary's events
    /// and an `events:` assertion could pass on a stale one. `involvedObject.uid` is a field selector the API
    /// server supports for Events (kubernetes pkg/apis/core/v1/conversion.go, Event field selectors).
    public func eventsCommand(uid: String) -> Command {
        Command(
            "kubectl",
            target.kubectlFlags + [
                "--namespace", namespace, "get", "events", "--field-selector=involvedObject.uid=\(uid)",
                "--output=json",
            ]
        )
    }

    /// Reads the Canary once; `t` is seconds since the scenario started. Returns the new records (possibly none).
    public func poll(t: Double) async throws -> [TimelineRecord] {
        try await poll(t: t, canaryJSON: try await get(canaryCommand))
    }

    /// The new records for the Canary as `canary` (its `kubectl get -o json`, read by the caller) shows it; reads
    /// its canary Ingress and the events about this very Canary (by its `metadata.uid`, ``eventsCommand(uid:)``).
    /// A Canary JSON without a uid yields no event records: events selected any other way may be an earlier
    /// Canary's of the same name.
    public func poll(t: Double, canaryJSON canary: String) async throws -> [TimelineRecord] {
        var ingressJSON: String?
        if let ingress = CanaryStatusReader.canaryIngressName(canaryJSON: canary) {
            let text = try await get(ingressCommand(ingress))
            ingressJSON = text.isEmpty ? nil : text
        }
        let observation = try CanaryStatusReader.observation(canaryJSON: canary, canaryIngressJSON: ingressJSON, t: t)
        // Without a uid there is no way to tell this Canary's events from an earlier one's: read none.
        var events: [CanaryStatusReader.Event] = []
        if let uid = CanaryStatusReader.uid(canaryJSON: canary) {
            events = try CanaryStatusReader.events(eventsJSON: try await get(eventsCommand(uid: uid)))
        }
        return state.withLock { state in
            var records: [TimelineRecord] = []
            let fresh = events.filter { state.seenEvents.insert($0.uid).inserted }
            for event in fresh {
                var withEvent = observation
                withEvent.event = event.message
                records.append(.canary(withEvent))
            }
            if fresh.isEmpty, !Self.sameStatus(state.last, observation) {
                records.append(.canary(observation))
            }
            state.last = observation
            return records
        }
    }

    private func get(_ command: Command) async throws -> String {
        let result = try await runner.run(command, timeout: .seconds(30), streaming: false)
        guard result.succeeded else {
            throw KindBackendError(.commandFailed, "\(command) exited \(result.status): \(result.tail(lines: 3))")
        }
        return result.output
    }

    private static func sameStatus(_ a: CanaryObservation?, _ b: CanaryObservation) -> Bool {
        guard let a else { return false }
        return (a.phase, a.canaryWeight, a.routerWeight, a.failedChecks, a.iterations)
            == (b.phase, b.canaryWeight, b.routerWeight, b.failedChecks, b.iterations)
    }
}
