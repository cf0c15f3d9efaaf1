import ObjectModel
import YAML

/// `rollout-e2e analyze`: replays a ``TickScript`` through the engine and renders one JSON object per tick in the
/// normative format of DESIGN.md §6.
public struct AnalyzeReplay: Sendable {
    public let engine: CanaryEngine

    /// One tick's observable result.
    public struct Record: Sendable, Hashable {
        public var tick: Int
        public var phase: CanaryPhase
        public var canaryWeight: Int
        public var routerWeight: Int
        public var failedChecks: Int
        public var iterations: Int
        public var events: [String]
        public var alerts: [CanaryAlertMessage]
        /// Why things happened (with `explain`).
        public var notes: [String]

        /// `{"tick":…,"phase":…,"canaryWeight":…,"routerWeight":…,"failedChecks":…,"iterations":…,"events":[…]}`,
        /// keys in this order.
        public var json: String {
            JSONText.object([
                ("tick", "\(tick)"), ("phase", JSONText.string(phase.rawValue)),
                ("canaryWeight", "\(canaryWeight)"), ("routerWeight", "\(routerWeight)"),
                ("failedChecks", "\(failedChecks)"), ("iterations", "\(iterations)"),
                ("events", JSONText.array(events.map(JSONText.string))),
            ])
        }

        /// The `--explain` line: what was checked and why the weight moved or not.
        public var explanation: String {
            var parts = notes
            for alert in alerts {
                let to = alert.recipients.map { $0.joined(separator: ", ") } ?? "global notifier"
                parts.append("alert \(alert.severity.rawValue) to \(to): \(alert.message)")
            }
            return "# tick \(tick): " + (parts.isEmpty ? "nothing to do" : parts.joined(separator: "; "))
        }
    }

    public init(canary: Canary) {
        engine = CanaryEngine(canary: canary)
    }

    /// Runs every tick from a new Canary (target at revision "v1") and returns the records in order.
    public func run(_ script: TickScript, explain: Bool = false) async -> [Record] {
        var state = CanaryState()
        var revision = "v1"
        var configs: String?
        var records: [Record] = []
        records.reserveCapacity(script.ticks.count)
        for (index, tick) in script.ticks.enumerated() {
            if let next = tick.revision { revision = next }
            if let next = tick.configs { configs = next }
            var inputs = inputs(for: tick, revision: revision, configs: configs)
            let outcome = await engine.advance(state, inputs: &inputs, explain: explain)
            state = outcome.state
            records.append(
                Record(
                    tick: index,
                    phase: state.phase,
                    canaryWeight: state.canaryWeight,
                    routerWeight: engine.routerWeight(of: state),
                    failedChecks: state.failedChecks,
                    iterations: state.iterations,
                    events: outcome.events,
                    alerts: outcome.alerts,
                    notes: outcome.notes
                )
            )
        }
        return records
    }

    /// The engine inputs for one tick of the script.
    func inputs(for tick: TickSpec, revision: String, configs: String?) -> FixedTickInputs {
        var webhooks: [String: WebhookResult] = [:]
        for hook in engine.analysis.webhooks ?? [] {
            guard let answer = tick.webhooks[hook.name] else { continue }
            let retries = hook.retries ?? 0
            switch answer {
            case .status(let status):
                webhooks[hook.name] = .response(
                    status: status,
                    body: HTTPStatusText.text(for: status),
                    url: hook.url,
                    retries: retries
                )
            case .timeout:
                webhooks[hook.name] = .timeout(url: hook.url, retries: retries)
            }
        }
        return FixedTickInputs(
            revision: revision,
            trackedConfigs: configs,
            primaryReadiness: Self.readiness(ready: tick.primaryReady, deadlineExceeded: tick.primaryDeadlineExceeded),
            canaryReadiness: Self.readiness(ready: tick.canaryReady, deadlineExceeded: tick.canaryDeadlineExceeded),
            webhooks: webhooks,
            metrics: tick.metrics
        )
    }

    static func readiness(ready: Bool, deadlineExceeded: Bool) -> DeploymentReadiness {
        if deadlineExceeded { return .progressDeadlineExceeded }
        return ready ? .ready : .rollingOut
    }
}
