import ObjectModel
import YAML

/// The timeline of DESIGN.md §5 as JSON Lines: per canary, its observations and the scenario's traffic samples
/// merged in time order. Traffic lines carry `"run"` (the load's name) after the shared keys.
public enum TimelineFile {
    public static func render(canary: [CanaryObservation], traffic: [NamedTrafficSample]) -> String {
        var records: [(t: Double, order: Int, line: String)] = []
        for (index, observation) in canary.enumerated() {
            records.append((observation.t, index, TimelineRecord.canary(observation).jsonLine))
        }
        for (index, named) in traffic.enumerated() {
            let fields = TimelineRecord.traffic(named.sample).jsonFields + [("run", JSONText.string(named.run))]
            let line = JSONText.object(fields)
            records.append((named.sample.t, canary.count + index, line))
        }
        records.sort { ($0.t, $0.order) < ($1.t, $1.order) }
        return records.map { $0.line + "\n" }.joined()
    }
}
