import ObjectModel

/// What a canary's analysis decided, without the clock: the phases it went through, the canary weights it stepped
/// through and the most failed checks it counted. A run at `--time-scale F` is faithful when every canary's
/// projection equals the one of the same scenario at Flagger's real pace; times, tick counts and traffic are left
/// out because they are what scaling is allowed to change.
public struct DecisionProjection: Sendable, Hashable {
    /// Phases in order, consecutive repeats collapsed (``TimelineFacts/phases(_:)``).
    public var phases: [String]
    /// `status.canaryWeight` stepped through, zeros left out, repeats collapsed (``TimelineFacts/weights(_:)``).
    public var weights: [Int]
    /// The highest `failedChecks` in the history (``TimelineFacts/maxFailedChecks(_:)``).
    public var maxFailedChecks: Int

    public init(phases: [String], weights: [Int], maxFailedChecks: Int) {
        self.phases = phases
        self.weights = weights
        self.maxFailedChecks = maxFailedChecks
    }

    /// The projection of a recorded timeline.
    public init(_ timeline: [CanaryObservation]) {
        self.init(
            phases: TimelineFacts.phases(timeline),
            weights: TimelineFacts.weights(timeline),
            maxFailedChecks: TimelineFacts.maxFailedChecks(timeline)
        )
    }

    /// Where `self` (observed at `label`) and `other` (at `otherLabel`) disagree, one sentence per part that
    /// differs, naming the first position where the sequences part; empty when they agree.
    public func differences(from other: DecisionProjection, label: String, otherLabel: String) -> [String] {
        var found: [String] = []
        if let text = Self.sequenceDifference(
            "phases",
            phases,
            other.phases,
            label: label,
            otherLabel: otherLabel
        ) {
            found.append(text)
        }
        if let text = Self.sequenceDifference(
            "weights",
            weights.map(String.init),
            other.weights.map(String.init),
            label: label,
            otherLabel: otherLabel
        ) {
            found.append(text)
        }
        if maxFailedChecks != other.maxFailedChecks {
            found.append(
                "max failedChecks differ: \(maxFailedChecks) at \(label), \(other.maxFailedChecks) at \(otherLabel)"
            )
        }
        return found
    }

    /// "weights differ at #3: 10 at 0.02, 80 at 1 ([1, 2, 10, 80] vs [1, 2, 80])", or nil when equal.
    static func sequenceDifference(
        _ name: String,
        _ left: [String],
        _ right: [String],
        label: String,
        otherLabel: String
    ) -> String? {
        guard left != right else { return nil }
        let index = zip(left, right).prefix { $0 == $1 }.count
        func at(_ values: [String]) -> String { index < values.count ? values[index] : "(none)" }
        func list(_ values: [String]) -> String { "[" + values.joined(separator: ", ") + "]" }
        return "\(name) differ at #\(index + 1): \(at(left)) at \(label), \(at(right)) at \(otherLabel) "
            + "(\(list(left)) vs \(list(right)))"
    }
}
