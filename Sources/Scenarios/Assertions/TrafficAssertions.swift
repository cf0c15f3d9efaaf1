import ObjectModel

/// Evaluates ``TrafficAssertion``s on the traffic samples and the canary's timeline. Pure.
public enum TrafficAssertions {
    /// A response counts as an error when the user got a 5xx or no response at all (status 0).
    public static func isError(_ status: Int) -> Bool { status == 0 || status >= 500 }

    /// The phases in which the canary's share of responses follows the router weight (the primary is untouched).
    public static let analysisPhases: Set<String> = ["Progressing", "WaitingPromotion", "Waiting"]

    /// A weight segment with fewer responses than this is not judged (too few to estimate a share).
    public static let minimumSegmentRequests = 20

    public static func evaluate(
        _ assertion: TrafficAssertion,
        samples: [NamedTrafficSample],
        timeline: [CanaryObservation],
        label: String,
        bucketSeconds: Double = 1
    ) -> [AssertionResult] {
        var results: [AssertionResult] = []
        let subject = [
            assertion.run.map { "run \($0)" }, assertion.during.map { "during " + $0.values.joined(separator: "|") },
        ]
        .compactMap { $0 }.joined(separator: ", ")
        let name = { (key: String) in "traffic.\(key)" + (subject.isEmpty ? "" : " (\(subject))") }
        let selected = select(assertion, samples: samples, timeline: timeline, bucketSeconds: bucketSeconds)
        let total = selected.reduce(0) { $0 + $1.count }
        let minimum = assertion.minRequests ?? 1
        let byPhase =
            "\nby phase: "
            + phaseBreakdown(
                samples: samples.filter { assertion.run == nil || $0.run == assertion.run }.map(\.sample),
                timeline: timeline
            )
            + "\nobserved timeline of \(label): " + TimelineFacts.compact(timeline)
        guard total >= minimum else {
            results.append(
                AssertionResult(
                    name: name("minRequests"),
                    passed: false,
                    message: "expected at least \(minimum) response(s), observed \(total)" + byPhase
                )
            )
            return results
        }
        if assertion.minRequests != nil {
            results.append(.check(name("minRequests"), true, "\(total) responses"))
        }
        if let expected = assertion.servedVersions {
            let served = Set(selected.compactMap(\.version))
            let counts = versionCounts(selected)
            results.append(
                .check(
                    name("servedVersions"),
                    served == Set(expected),
                    "expected versions \(TimelineAssertions.list(expected.sorted())), observed \(counts)"
                        + (served == Set(expected) ? "" : byPhase)
                )
            )
        }
        if let allowed = assertion.statuses {
            var counts: [Int: Int] = [:]
            for sample in selected { counts[sample.status, default: 0] += sample.count }
            let passed = Set(counts.keys).isSubset(of: Set(allowed))
            let observed = counts.sorted { $0.key < $1.key }.map { "\($0.value) × \($0.key)" }.joined(separator: ", ")
            results.append(
                .check(
                    name("statuses"),
                    passed,
                    "expected only statuses \(allowed.map(String.init).joined(separator: ", ")), observed \(observed)"
                        + (passed ? "" : byPhase)
                )
            )
        }
        let errors = selected.filter { isError($0.status) }.reduce(0) { $0 + $1.count }
        let rate = Double(errors) / Double(total)
        var errorStatuses: [Int: Int] = [:]
        for sample in selected where isError(sample.status) { errorStatuses[sample.status, default: 0] += sample.count }
        let errorKinds = errorStatuses.sorted { $0.key < $1.key }
            .map { "\($0.value) × \($0.key == 0 ? "no response" : String($0.key))" }.joined(separator: ", ")
        let observedRate =
            "\(percent(rate)) (\(errors) of \(total) responses\(errorKinds.isEmpty ? "" : ": " + errorKinds))"
        if let maximum = assertion.maxErrorRate {
            results.append(
                .check(
                    name("maxErrorRate"),
                    rate <= maximum,
                    "expected an error rate of at most \(percent(maximum)), observed \(observedRate)"
                        + (rate <= maximum ? "" : byPhase)
                )
            )
        }
        if let minimum = assertion.minErrorRate {
            results.append(
                .check(
                    name("minErrorRate"),
                    rate >= minimum,
                    "expected an error rate of at least \(percent(minimum)), observed \(observedRate)"
                        + (rate >= minimum ? "" : byPhase)
                )
            )
        }
        if let share = assertion.canaryShare {
            results.append(
                canaryShare(
                    share,
                    samples: selected,
                    timeline: timeline,
                    name: name("canaryShare"),
                    label: label,
                    bucketSeconds: bucketSeconds
                )
            )
        }
        return results
    }

    /// The samples of the assertion's run, while the canary was in one of its `during` phases. A sample holds the
    /// responses of one bucket (`[t, t + bucketSeconds)`); under `during` it is judged only when the canary was in
    /// those phases for the whole bucket, so a bucket straddling a phase change (e.g. Progressing → Promoting, when
    /// the primary starts serving the new version) is not counted as either phase.
    static func select(
        _ assertion: TrafficAssertion,
        samples: [NamedTrafficSample],
        timeline: [CanaryObservation],
        bucketSeconds: Double = 1
    ) -> [TrafficSample] {
        samples.compactMap { named in
            if let run = assertion.run, named.run != run { return nil }
            if let phases = assertion.during?.values {
                guard let first = TimelineFacts.index(at: named.sample.t, in: timeline) else { return nil }
                let end = named.sample.t + bucketSeconds
                var index = first
                while index < timeline.count, index == first || timeline[index].t < end {
                    guard phases.contains(timeline[index].phase) else { return nil }
                    index += 1
                }
            }
            return named.sample
        }
    }

    /// `Progressing 0.0% of 412, Failed 12.5% of 80`: the error rate users saw in each phase.
    public static func phaseBreakdown(samples: [TrafficSample], timeline: [CanaryObservation]) -> String {
        var order: [String] = []
        var totals: [String: (errors: Int, total: Int)] = [:]
        for sample in samples {
            let phase = TimelineFacts.observation(at: sample.t, in: timeline)?.phase ?? "(before the canary)"
            if totals[phase] == nil { order.append(phase) }
            var entry = totals[phase] ?? (0, 0)
            entry.total += sample.count
            if isError(sample.status) { entry.errors += sample.count }
            totals[phase] = entry
        }
        guard !order.isEmpty else { return "(no traffic)" }
        return order.map { phase in
            let entry = totals[phase]!
            return "\(phase) \(percent(Double(entry.errors) / Double(max(entry.total, 1)))) errors of \(entry.total)"
        }.joined(separator: ", ")
    }

    private static func canaryShare(
        _ share: TrafficAssertion.CanaryShare,
        samples: [TrafficSample],
        timeline: [CanaryObservation],
        name: String,
        label: String,
        bucketSeconds: Double
    ) -> AssertionResult {
        // Segments of constant router weight. A sample (the responses of one bucket) is judged only when its whole
        // bucket lies inside one segment, so responses from before and after a weight change are never mixed.
        struct Segment {
            var weight: Int
            /// Only while the analysis runs does the primary still serve the old version (from Promoting on it is
            /// rolled to the new one), so only then does the new version's share measure the router weight.
            var analysing: Bool
            var since: Double
            var until = Double.infinity
            var canary = 0
            var total = 0
        }
        var segments: [Segment] = []
        var segmentOfObservation: [Int] = []
        for observation in timeline {
            let analysing = analysisPhases.contains(observation.phase)
            if segments.last?.weight != observation.routerWeight || segments.last?.analysing != analysing {
                if !segments.isEmpty { segments[segments.count - 1].until = observation.t }
                segments.append(Segment(weight: observation.routerWeight, analysing: analysing, since: observation.t))
            }
            segmentOfObservation.append(segments.count - 1)
        }
        for sample in samples where sample.version != nil {
            guard let index = TimelineFacts.index(at: sample.t, in: timeline) else { continue }
            let segment = segmentOfObservation[index]
            guard sample.t >= segments[segment].since, sample.t + bucketSeconds <= segments[segment].until else {
                continue
            }
            segments[segment].total += sample.count
            if sample.version == share.version { segments[segment].canary += sample.count }
        }
        var judged: [String] = []
        var failures: [String] = []
        var judgedCanaryWeight = false
        for segment in segments where segment.analysing && segment.total >= minimumSegmentRequests {
            if segment.weight > 0 { judgedCanaryWeight = true }
            let observed = Double(segment.canary) / Double(segment.total)
            let expected = Double(segment.weight) / 100
            let text = "weight \(segment.weight): \(percent(observed)) of \(segment.total)"
            judged.append(text)
            if abs(observed - expected) > share.tolerance { failures.append(text) }
        }
        let tolerance = "±\(percent(share.tolerance))"
        guard judgedCanaryWeight else {
            return AssertionResult(
                name: name,
                passed: false,
                message:
                    "expected responses at each router weight to compare with \(share.version)'s share, but no weight "
                    + "above 0 held \(minimumSegmentRequests) responses in whole traffic buckets"
                    + (judged.isEmpty ? "" : " (judged: " + judged.joined(separator: ", ") + ")")
                    + "\nobserved timeline of \(label): "
                    + TimelineFacts.compact(timeline)
            )
        }
        if failures.isEmpty {
            return AssertionResult(
                name: name,
                passed: true,
                message: "\(share.version)'s share within \(tolerance): " + judged.joined(separator: ", ")
            )
        }
        return AssertionResult(
            name: name,
            passed: false,
            message: "expected \(share.version) to serve routerWeight% \(tolerance) of responses; off at "
                + failures.joined(separator: ", ") + "\nall weights: " + judged.joined(separator: ", ")
                + "\nobserved timeline of \(label): " + TimelineFacts.compact(timeline)
        )
    }

    static func versionCounts(_ samples: [TrafficSample]) -> String {
        var counts: [String: Int] = [:]
        for sample in samples { counts[sample.version ?? "(unknown)", default: 0] += sample.count }
        guard !counts.isEmpty else { return "(none)" }
        return "{" + counts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
    }

    static func percent(_ fraction: Double) -> String {
        let value = (fraction * 1000).rounded() / 10
        return "\(value)%"
    }
}
