import ObjectModel

/// Evaluates ``TimelineAssertion``s on a recorded canary timeline. Pure: same inputs, same results.
public enum TimelineAssertions {
    /// One result per check the assertion names. Times are scenario time, like the timeline's `t`.
    public static func evaluate(
        _ assertion: TimelineAssertion,
        timeline: [CanaryObservation],
        label: String
    ) -> [AssertionResult] {
        var results: [AssertionResult] = []
        let observed = "observed timeline of \(label): " + TimelineFacts.compact(timeline)
        func add(_ key: String, _ passed: Bool, _ detail: String) {
            results.append(
                AssertionResult(
                    name: "timeline.\(key) (\(label))",
                    passed: passed,
                    message: passed ? detail : detail + "\n" + observed
                )
            )
        }
        // The final phase first: when it is wrong, it is the headline.
        if let expected = assertion.finalPhase {
            let final = timeline.last?.phase ?? "(none)"
            add("finalPhase", final == expected, "expected final phase \(expected), observed \(final)")
        }
        let phases = TimelineFacts.phases(timeline)
        if let expected = assertion.phases {
            add(
                "phases",
                phases == expected,
                "expected phases \(list(expected)), observed \(list(phases))"
            )
        }
        if let expected = assertion.phasesInclude {
            let missing = firstMissing(expected, inOrderIn: phases)
            add(
                "phasesInclude",
                missing == nil,
                missing.map {
                    "expected phases \(list(expected)) in this order; '\($0)' is missing (or out of order) in \(list(phases))"
                }
                    ?? "phases \(list(expected)) appear in order in \(list(phases))"
            )
        }
        if let expected = assertion.weights {
            let weights = TimelineFacts.weights(timeline)
            add("weights", weights == expected, "expected weights \(list(expected)), observed \(list(weights))")
        }
        if let bound = assertion.maxFailedChecks {
            let peak = TimelineFacts.maxFailedChecks(timeline)
            add(
                "maxFailedChecks",
                bound.contains(peak),
                "expected the highest failedChecks to be \(bound), observed \(peak)"
            )
        }
        if let bound = assertion.timeToDecision {
            if let seconds = TimelineFacts.timeToDecision(timeline) {
                add(
                    "timeToDecision",
                    bound.contains(seconds: seconds),
                    "expected the decision \(bound) after Progressing, observed \(ManifestDuration(seconds: seconds))"
                )
            } else {
                add(
                    "timeToDecision",
                    false,
                    "expected a decision \(bound) after Progressing, but the canary never got from Progressing to Succeeded or Failed"
                )
            }
        }
        for text in assertion.events ?? [] {
            let found = timeline.contains { $0.event?.contains(text) == true }
            add(
                "events",
                found,
                found
                    ? "event containing \"\(text)\" recorded"
                    : "expected an event containing \"\(text)\"; events: \(events(timeline))"
            )
        }
        return results
    }

    /// The first element of `expected` that does not appear after the previous ones in `observed`.
    static func firstMissing(_ expected: [String], inOrderIn observed: [String]) -> String? {
        var position = observed.startIndex
        for value in expected {
            guard let found = observed[position...].firstIndex(of: value) else { return value }
            position = observed.index(after: found)
        }
        return nil
    }

    static func list<T>(_ values: [T]) -> String { "[" + values.map { "\($0)" }.joined(separator: ", ") + "]" }

    private static func events(_ timeline: [CanaryObservation]) -> String {
        let texts = timeline.compactMap(\.event)
        return texts.isEmpty ? "(none)" : texts.map { "\"\($0)\"" }.joined(separator: ", ")
    }
}
