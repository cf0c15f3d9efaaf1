import Foundation
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

    /// A line of a timeline file that is not a JSON object of DESIGN.md §5.
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        /// `file:line: message`.
        public var description: String
    }

    /// The canary observations of a timeline file, in file order; traffic lines are skipped. Any backend's
    /// timeline reads back, so a local run can be compared with another local run or with a kind run.
    public static func canaryObservations(in text: String, file: String = "<timeline>") throws
        -> [CanaryObservation]
    {
        var observations: [CanaryObservation] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            func fail(_ message: String) -> ParseError { ParseError(description: "\(file):\(index + 1): \(message)") }
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
                throw fail("not a JSON object")
            }
            if object["kind"] as? String == "traffic" { continue }
            guard let t = (object["t"] as? NSNumber)?.doubleValue else { throw fail("no number \"t\"") }
            guard let phase = object["phase"] as? String else { throw fail("no string \"phase\"") }
            func integer(_ key: String) throws -> Int {
                guard let value = object[key] as? NSNumber else { throw fail("no number \"\(key)\"") }
                return value.intValue
            }
            observations.append(
                CanaryObservation(
                    t: t,
                    phase: phase,
                    canaryWeight: try integer("canaryWeight"),
                    routerWeight: try integer("routerWeight"),
                    failedChecks: try integer("failedChecks"),
                    iterations: try integer("iterations"),
                    event: object["event"] as? String
                )
            )
        }
        return observations
    }
}
