import ObjectModel

/// Derived views of a canary timeline, shared by assertions, progress lines and reports.
public enum TimelineFacts {
    /// Phases in order with consecutive repeats collapsed.
    public static func phases(_ timeline: [CanaryObservation]) -> [String] {
        collapse(timeline.map(\.phase))
    }

    /// The canary weights stepped through: zeros left out, consecutive repeats collapsed.
    public static func weights(_ timeline: [CanaryObservation]) -> [Int] {
        collapse(timeline.map(\.canaryWeight).filter { $0 != 0 })
    }

    /// The highest `failedChecks` ever recorded (Flagger zeroes it on rollback, so the last status cannot say).
    public static func maxFailedChecks(_ timeline: [CanaryObservation]) -> Int {
        timeline.map(\.failedChecks).max() ?? 0
    }

    /// Seconds from the first Progressing to the first Succeeded or Failed after it.
    public static func timeToDecision(_ timeline: [CanaryObservation]) -> Double? {
        guard let start = timeline.first(where: { $0.phase == "Progressing" }) else { return nil }
        guard let end = timeline.first(where: { $0.t >= start.t && isDecided($0.phase) }) else { return nil }
        return end.t - start.t
    }

    /// Succeeded or Failed: the analysis reached a decision.
    public static func isDecided(_ phase: String) -> Bool { phase == "Succeeded" || phase == "Failed" }

    /// The observation in force at `t` (the last one at or before it).
    public static func observation(at t: Double, in timeline: [CanaryObservation]) -> CanaryObservation? {
        index(at: t, in: timeline).map { timeline[$0] }
    }

    /// The index of the observation in force at `t`.
    static func index(at t: Double, in timeline: [CanaryObservation]) -> Int? {
        var low = 0
        var high = timeline.count
        while low < high {
            let mid = (low + high) / 2
            if timeline[mid].t <= t { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nil : low - 1
    }

    /// The timeline in one line per state change: `0.0s Initialized w0/0 fc0 → 6.2s Progressing w10/10 fc0 → …`,
    /// at most `limit` entries (the middle is elided).
    public static func compact(_ timeline: [CanaryObservation], limit: Int = 24) -> String {
        guard !timeline.isEmpty else { return "(no observations)" }
        var entries: [String] = []
        var last: (String, Int, Int, Int)?
        for observation in timeline {
            let state = (
                observation.phase, observation.canaryWeight, observation.routerWeight, observation.failedChecks
            )
            if let last, last == state { continue }
            last = state
            entries.append(
                "\(format(observation.t))s \(observation.phase) w\(observation.canaryWeight)/\(observation.routerWeight) "
                    + "fc\(observation.failedChecks)"
            )
        }
        if entries.count > limit {
            let head = entries.prefix(limit / 2)
            let tail = entries.suffix(limit / 2)
            entries = Array(head) + ["… \(entries.count - limit) more …"] + Array(tail)
        }
        return entries.joined(separator: " → ")
    }

    static func format(_ seconds: Double) -> String {
        String((seconds * 10).rounded() / 10)
    }

    static func collapse<T: Equatable>(_ values: [T]) -> [T] {
        var result: [T] = []
        for value in values where result.last != value { result.append(value) }
        return result
    }
}
