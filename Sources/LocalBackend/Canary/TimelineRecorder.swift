import Foundation
import ObjectModel

/// Writes each Canary's timeline (DESIGN.md §5) as JSON Lines to `<work dir>/timelines/<namespace>-<name>.jsonl` and
/// keeps it in memory for assertions. `t` is seconds since ``reset()`` on the scaled clock: with `--time-scale 0.1`
/// one real second is ten timeline seconds, so timelines compare with the kind backend's.
public actor TimelineRecorder {
    private let directory: String
    private let timeScale: Double
    private var start = ContinuousClock.now
    private var records: [String: [TimelineRecord]] = [:]

    public init(directory: String, timeScale: Double) {
        self.directory = directory
        self.timeScale = timeScale
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// Seconds since the start, scaled back to the Canary's own time.
    public func now() -> Double {
        let elapsed = start.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (seconds / timeScale * 1000).rounded() / 1000
    }

    /// Starts the clock again at `start` (a scenario's start) and forgets what was recorded.
    public func reset(start: ContinuousClock.Instant = .now) {
        self.start = start
        records = [:]
        if let files = try? FileManager.default.contentsOfDirectory(atPath: directory) {
            for file in files where file.hasSuffix(".jsonl") {
                try? FileManager.default.removeItem(atPath: directory + "/" + file)
            }
        }
    }

    /// Appends an observation of `namespace/name`.
    public func record(namespace: String, name: String, _ record: TimelineRecord) {
        let key = "\(namespace)/\(name)"
        records[key, default: []].append(record)
        let path = "\(directory)/\(namespace)-\(name).jsonl"
        let line = Data((record.jsonLine + "\n").utf8)
        if let handle = FileHandle(forWritingAtPath: path) {
            handle.seekToEndOfFile()
            handle.write(line)
            try? handle.close()
        } else {
            _ = FileManager.default.createFile(atPath: path, contents: line)
        }
    }

    /// The timeline of `namespace/name` so far.
    public func timeline(namespace: String, name: String) -> [TimelineRecord] {
        records["\(namespace)/\(name)"] ?? []
    }
}
