import Foundation
import ObjectModel
import Testing

/// Timeline files are JSON Lines that users read with `jq` and Python (DESIGN.md §5): each record is one line that a
/// standard parser reads back, with the documented keys in the documented order.
struct TimelineJSONTests {
    static func object(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
    }

    @Test("a canary observation is one line with its keys in the documented order")
    func canaryLine() throws {
        let observation = CanaryObservation(
            t: 12.3456,
            phase: "Progressing",
            canaryWeight: 20,
            routerWeight: 20,
            failedChecks: 1,
            iterations: 0,
            event: "Halt advancement podinfo-canary.test \"waiting\"\n\u{1B}[31m"
        )
        let line = TimelineRecord.canary(observation).jsonLine
        #expect(!line.contains("\n"))
        #expect(line.hasPrefix(#"{"t":12.346,"phase":"Progressing","canaryWeight":20,"routerWeight":20,"#))
        let object = try Self.object(line)
        #expect(object["event"] as? String == observation.event)
        #expect(object["failedChecks"] as? Int == 1)
    }

    @Test("traffic samples with odd versions and fractional latencies parse back")
    func trafficLine() throws {
        for (version, latency) in [("6.0.1", 3.5), ("\"quoted\"\t\u{0}", 0.0004), ("é ✓ 😀", 1e9 + 0.25)] {
            let sample = TrafficSample(t: 7, status: 503, version: version, latencyMs: latency, count: 4)
            let object = try Self.object(TimelineRecord.traffic(sample).jsonLine)
            #expect(object["kind"] as? String == "traffic")
            #expect(object["version"] as? String == version)
            #expect(abs(((object["latencyMs"] as? NSNumber)?.doubleValue ?? -1) - latency) <= 0.0005)
        }
    }
}
