import ObjectModel
import YAML

/// `assert`: checks evaluated when the step runs — once, or, when the step has its own `timeout`, again and again
/// until they all pass or the timeout expires. Any combination of the five kinds; each must pass.
public struct AssertAction: Decodable, Sendable {
    public var timeline: TimelineAssertion?
    public var object: ObjectAssertion?
    public var traffic: TrafficAssertion?
    public var alerts: AlertsAssertion?
    public var webhooks: WebhooksAssertion?

    public init(
        timeline: TimelineAssertion? = nil,
        object: ObjectAssertion? = nil,
        traffic: TrafficAssertion? = nil,
        alerts: AlertsAssertion? = nil,
        webhooks: WebhooksAssertion? = nil
    ) {
        self.timeline = timeline
        self.object = object
        self.traffic = traffic
        self.alerts = alerts
        self.webhooks = webhooks
    }

    /// The kinds present, in a fixed order.
    public var kinds: [String] {
        [
            timeline.map { _ in "timeline" }, object.map { _ in "object" }, traffic.map { _ in "traffic" },
            alerts.map { _ in "alerts" }, webhooks.map { _ in "webhooks" },
        ].compactMap { $0 }
    }
}

/// Checks on one canary's recorded history (not just its last status: Flagger zeroes `failedChecks` on rollback).
public struct TimelineAssertion: Decodable, Sendable, Hashable {
    public var canary: String
    public var namespace: String?
    /// The phases in order, repeats collapsed, exactly.
    public var phases: [String]?
    /// These phases appear in this order (others may come between).
    public var phasesInclude: [String]?
    /// The canary weights stepped through, repeats collapsed and zeros left out, exactly.
    public var weights: [Int]?
    /// The highest `failedChecks` seen: a number means "at most"; or `{atLeast, atMost}`.
    public var maxFailedChecks: IntBound?
    /// The last phase recorded.
    public var finalPhase: String?
    /// From the first Progressing to the first Succeeded or Failed after it, in scenario time.
    public var timeToDecision: DurationBound?
    /// Event texts that must appear (substring match).
    public var events: [String]?

    public init(
        canary: String,
        namespace: String? = nil,
        phases: [String]? = nil,
        phasesInclude: [String]? = nil,
        weights: [Int]? = nil,
        maxFailedChecks: IntBound? = nil,
        finalPhase: String? = nil,
        timeToDecision: DurationBound? = nil,
        events: [String]? = nil
    ) {
        self.canary = canary
        self.namespace = namespace
        self.phases = phases
        self.phasesInclude = phasesInclude
        self.weights = weights
        self.maxFailedChecks = maxFailedChecks
        self.finalPhase = finalPhase
        self.timeToDecision = timeToDecision
        self.events = events
    }
}

/// An object in the cluster partially matches `match` (KUTTL's rule: keys not given are ignored; lists match
/// element by element and must have the same length).
public struct ObjectAssertion: Decodable, Sendable, Hashable {
    public var kind: String
    public var name: String
    public var namespace: String?
    public var match: Node

    public init(kind: String, name: String, namespace: String? = nil, match: Node) {
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.match = match
    }
}

/// Checks on the responses users saw, optionally for one traffic run and during one phase of a canary.
public struct TrafficAssertion: Decodable, Sendable, Hashable {
    /// The traffic run (its `start` name); default: every run.
    public var run: String?
    /// The canary whose phases `during` and `canaryShare` refer to.
    public var canary: String?
    public var namespace: String?
    /// Only responses while the canary was in one of these phases.
    public var during: OneOrMany<String>?
    /// The set of versions that answered, exactly.
    public var servedVersions: [String]?
    /// Every response had one of these HTTP statuses (0: no response). Catches what the error rate does not count,
    /// e.g. a cache read answered 404.
    public var statuses: [Int]?
    /// Responses with status 5xx or no response at all, as a fraction (0.01 = 1 %).
    public var maxErrorRate: Double?
    public var minErrorRate: Double?
    /// For each router weight held long enough while the analysis runs (Progressing, WaitingPromotion — not once
    /// the primary is being promoted), the share of responses from `version` is weight/100 ± tolerance.
    public var canaryShare: CanaryShare?
    /// At least this many responses (default 1): an assertion on no traffic fails instead of passing vacuously.
    public var minRequests: Int?

    /// `canaryShare`: the version the canary serves and the allowed deviation (0.1 = ±10 points).
    public struct CanaryShare: Decodable, Sendable, Hashable {
        public var version: String
        public var tolerance: Double

        public init(version: String, tolerance: Double) {
            self.version = version
            self.tolerance = tolerance
        }
    }

    public init(
        run: String? = nil,
        canary: String? = nil,
        namespace: String? = nil,
        during: [String]? = nil,
        servedVersions: [String]? = nil,
        statuses: [Int]? = nil,
        maxErrorRate: Double? = nil,
        minErrorRate: Double? = nil,
        canaryShare: CanaryShare? = nil,
        minRequests: Int? = nil
    ) {
        self.run = run
        self.canary = canary
        self.namespace = namespace
        self.during = during.map(OneOrMany.init)
        self.servedVersions = servedVersions
        self.statuses = statuses
        self.maxErrorRate = maxErrorRate
        self.minErrorRate = minErrorRate
        self.canaryShare = canaryShare
        self.minRequests = minRequests
    }
}

/// Alerts the scenario's alert receiver got, in order (others may come between).
public struct AlertsAssertion: Decodable, Sendable, Hashable {
    /// Only alerts about this canary.
    public var canary: String?
    public var namespace: String?
    public var received: [ExpectedAlert]
    /// Alert texts that must not appear (substring match).
    public var notReceived: [String]?

    public init(
        canary: String? = nil,
        namespace: String? = nil,
        received: [ExpectedAlert],
        notReceived: [String]? = nil
    ) {
        self.canary = canary
        self.namespace = namespace
        self.received = received
        self.notReceived = notReceived
    }
}

/// One expected alert: its text contains `message`; `severity` (info, warn, error) implies the Slack colour
/// (`danger` for error, else `good`); `color` checks the colour directly.
public struct ExpectedAlert: Decodable, Sendable, Hashable {
    public var message: String
    public var severity: String?
    public var color: String?

    public init(message: String, severity: String? = nil, color: String? = nil) {
        self.message = message
        self.severity = severity
        self.color = color
    }

    /// Severities Flagger uses.
    public static let severities = ["info", "warn", "error"]
}

/// Webhooks Flagger called (as the loadtester and the harness's webhook receiver saw them).
public struct WebhooksAssertion: Decodable, Sendable, Hashable {
    public var canary: String?
    public var namespace: String?
    public var called: [ExpectedWebhook]?
    /// Webhook names that must not have been called.
    public var notCalled: [String]?

    public init(
        canary: String? = nil,
        namespace: String? = nil,
        called: [ExpectedWebhook]? = nil,
        notCalled: [String]? = nil
    ) {
        self.canary = canary
        self.namespace = namespace
        self.called = called
        self.notCalled = notCalled
    }
}

/// A webhook by name (and optionally type), called a number of times (default: at least once), or — for an `event`
/// hook — `onceForEachEvent`: exactly as many times as the canary recorded events (Flagger sends each event once).
public struct ExpectedWebhook: Decodable, Sendable, Hashable {
    public var name: String
    public var type: String?
    public var times: IntBound?
    public var onceForEachEvent: Bool?

    public init(name: String, type: String? = nil, times: IntBound? = nil, onceForEachEvent: Bool? = nil) {
        self.name = name
        self.type = type
        self.times = times
        self.onceForEachEvent = onceForEachEvent
    }
}
