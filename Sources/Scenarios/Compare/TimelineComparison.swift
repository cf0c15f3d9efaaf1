import Foundation

/// Two runs of the same scenarios compared canary by canary on what the analysis decided
/// (``DecisionProjection``: phases, weights, max failedChecks), read from the timeline files each run wrote
/// (`<report-dir>/<scenario>/<canary>.<namespace>.timeline.jsonl`). `rollout-e2e run --compare-time-scale` uses it
/// to check that a faster time scale changes nothing but the clock.
public struct TimelineComparison: Sendable {
    /// One canary of one scenario.
    public struct Entry: Sendable {
        public var scenario: String
        /// `<name>.<namespace>`.
        public var canary: String
        /// The projection in the first run; nil when that run wrote no timeline for the canary.
        public var left: DecisionProjection?
        public var right: DecisionProjection?
        /// Where the runs disagree, one sentence each; empty when they agree.
        public var differences: [String]

        public var agrees: Bool { differences.isEmpty }
    }

    /// How the two runs are named in messages, e.g. `0.02` and `1`.
    public var leftLabel: String
    public var rightLabel: String
    public var entries: [Entry]

    /// True when both runs observed the same canaries and every one decided alike.
    public var agrees: Bool { !entries.isEmpty && entries.allSatisfy(\.agrees) }

    /// Compares projections keyed by scenario, then canary.
    public init(
        left: [String: [String: DecisionProjection]],
        leftLabel: String,
        right: [String: [String: DecisionProjection]],
        rightLabel: String
    ) {
        self.leftLabel = leftLabel
        self.rightLabel = rightLabel
        var entries: [Entry] = []
        for scenario in Set(left.keys).union(right.keys).sorted() {
            let leftCanaries = left[scenario] ?? [:]
            let rightCanaries = right[scenario] ?? [:]
            for canary in Set(leftCanaries.keys).union(rightCanaries.keys).sorted() {
                let a = leftCanaries[canary]
                let b = rightCanaries[canary]
                var differences: [String] = []
                switch (a, b) {
                case (let a?, let b?):
                    differences = a.differences(from: b, label: leftLabel, otherLabel: rightLabel)
                case (nil, _):
                    differences = ["no timeline at \(leftLabel)"]
                case (_, nil):
                    differences = ["no timeline at \(rightLabel)"]
                }
                entries.append(Entry(scenario: scenario, canary: canary, left: a, right: b, differences: differences))
            }
        }
        self.entries = entries
    }

    /// Reads both report directories; `scenarios` limits the comparison to those scenario names (all when nil).
    public static func load(
        left: String,
        leftLabel: String,
        right: String,
        rightLabel: String,
        scenarios: Set<String>? = nil
    ) throws -> TimelineComparison {
        TimelineComparison(
            left: try projections(inReportDirectory: left, scenarios: scenarios),
            leftLabel: leftLabel,
            right: try projections(inReportDirectory: right, scenarios: scenarios),
            rightLabel: rightLabel
        )
    }

    static let timelineSuffix = ".timeline.jsonl"

    /// Every `<scenario>/<canary>.timeline.jsonl` of a report directory, projected.
    public static func projections(
        inReportDirectory directory: String,
        scenarios: Set<String>? = nil
    ) throws -> [String: [String: DecisionProjection]] {
        let manager = FileManager.default
        var result: [String: [String: DecisionProjection]] = [:]
        for scenario in try manager.contentsOfDirectory(atPath: directory) {
            if let scenarios, !scenarios.contains(scenario) { continue }
            var isDirectory: ObjCBool = false
            let path = directory + "/" + scenario
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            for file in try manager.contentsOfDirectory(atPath: path) where file.hasSuffix(timelineSuffix) {
                let text = try String(contentsOfFile: path + "/" + file, encoding: .utf8)
                let timeline = try TimelineFile.canaryObservations(in: text, file: path + "/" + file)
                result[scenario, default: [:]][String(file.dropLast(timelineSuffix.count))] = DecisionProjection(
                    timeline
                )
            }
        }
        return result
    }

    /// One line per canary (✔ agrees / ✘ and where it differs), then a total.
    public func render(color: Bool = false) -> String {
        func paint(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        let width = max(8, entries.map { $0.scenario.count + 1 + $0.canary.count }.max() ?? 8)
        var lines = ["decisions at time scale \(leftLabel) vs \(rightLabel) (phases, weights, max failedChecks):"]
        for entry in entries {
            let name = "\(entry.scenario) \(entry.canary)".padding(toLength: width, withPad: " ", startingAt: 0)
            if entry.agrees, let projection = entry.left {
                lines.append(
                    "\(paint("✔ SAME", "32"))  \(name)  \(projection.phases.joined(separator: " → ")); "
                        + "weights [\(projection.weights.map(String.init).joined(separator: ", "))]; "
                        + "max failedChecks \(projection.maxFailedChecks)"
                )
            } else {
                lines.append("\(paint("✘ DIFF", "31"))  \(name)  \(entry.differences.joined(separator: "; "))")
            }
        }
        let differing = entries.filter { !$0.agrees }.count
        lines.append(
            entries.isEmpty
                ? "no canary timeline to compare"
                : "\(entries.count) canary(ies): \(entries.count - differing) decided alike, \(differing) differ"
        )
        return lines.joined(separator: "\n") + "\n"
    }
}
