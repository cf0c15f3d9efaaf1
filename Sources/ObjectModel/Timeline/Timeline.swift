import Foundation
import YAML

/// One line of a canary's timeline (DESIGN.md §5): JSON Lines, one object per observation, the same for every
/// backend so two runs of one scenario can be diffed.
public enum TimelineRecord: Sendable, Hashable {
    case canary(CanaryObservation)
    case traffic(TrafficSample)

    /// Seconds since the scenario started.
    public var t: Double {
        switch self {
        case .canary(let observation): observation.t
        case .traffic(let sample): sample.t
        }
    }

    /// The record as one JSON line (no newline), keys in the documented order.
    public var jsonLine: String { JSONText.object(jsonFields) }

    /// The keys in the documented order with their JSON values, for writers that append keys of their own.
    public var jsonFields: [(String, String)] {
        switch self {
        case .canary(let o):
            var fields = [
                ("t", JSONText.number(o.t)), ("phase", JSONText.string(o.phase)),
                ("canaryWeight", "\(o.canaryWeight)"), ("routerWeight", "\(o.routerWeight)"),
                ("failedChecks", "\(o.failedChecks)"), ("iterations", "\(o.iterations)"),
            ]
            if let event = o.event { fields.append(("event", JSONText.string(event))) }
            return fields
        case .traffic(let s):
            var fields = [
                ("t", JSONText.number(s.t)), ("kind", JSONText.string("traffic")), ("status", "\(s.status)"),
            ]
            if let version = s.version { fields.append(("version", JSONText.string(version))) }
            fields += [("latencyMs", JSONText.number(s.latencyMs)), ("count", "\(s.count)")]
            return fields
        }
    }
}

/// What the canary's status looked like at one moment.
public struct CanaryObservation: Sendable, Hashable {
    public var t: Double
    public var phase: String
    /// `status.canaryWeight`.
    public var canaryWeight: Int
    /// The weight the router actually applies (the canary ingress' `canary-weight`, 100 under header routing).
    public var routerWeight: Int
    public var failedChecks: Int
    public var iterations: Int
    /// An event Flagger (or the engine) emitted at this moment, e.g. "Advance podinfo.test canary weight 10".
    public var event: String?

    public init(
        t: Double,
        phase: String,
        canaryWeight: Int,
        routerWeight: Int,
        failedChecks: Int,
        iterations: Int,
        event: String? = nil
    ) {
        self.t = t
        self.phase = phase
        self.canaryWeight = canaryWeight
        self.routerWeight = routerWeight
        self.failedChecks = failedChecks
        self.iterations = iterations
        self.event = event
    }
}

/// Responses users saw, aggregated per second, status and served version.
public struct TrafficSample: Sendable, Hashable {
    public var t: Double
    public var status: Int
    /// The version that answered (podinfo's `version`), when known.
    public var version: String?
    /// Mean latency of the aggregated responses.
    public var latencyMs: Double
    public var count: Int

    public init(t: Double, status: Int, version: String?, latencyMs: Double, count: Int = 1) {
        self.t = t
        self.status = status
        self.version = version
        self.latencyMs = latencyMs
        self.count = count
    }
}
