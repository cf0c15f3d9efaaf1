import Foundation

/// Writes a run's reports into the report directory: `junit.xml`, `report.html`, and per scenario
/// `<scenario>/<canary>.<namespace>.timeline.jsonl` (the canary's timeline with the traffic merged in).
public enum ReportWriter {
    /// Returns the paths written.
    @discardableResult
    public static func write(_ run: RunResult, to directory: String) throws -> [String] {
        let manager = FileManager.default
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var written: [String] = []
        func put(_ text: String, _ path: String) throws {
            let full = directory + "/" + path
            try manager.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true
            )
            try text.write(toFile: full, atomically: true, encoding: .utf8)
            written.append(full)
        }
        try put(JUnitReport.render(run), "junit.xml")
        try put(HTMLReport.render(run), "report.html")
        for result in run.scenarios {
            for (canary, timeline) in result.observations.canaries {
                try put(
                    TimelineFile.render(canary: timeline, traffic: result.observations.traffic),
                    "\(result.name)/\(canary).timeline.jsonl"
                )
            }
        }
        return written
    }
}
