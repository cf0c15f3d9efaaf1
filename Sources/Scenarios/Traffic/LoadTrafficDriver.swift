import CurlHTTP
import Foundation
import ObjectModel
import Synchronization

/// Runs a session's traffic with libcurl's load generator against an ingress address and aggregates what users
/// saw per second, status and served version — the traffic half of the timeline. Backends use it to implement
/// ``ScenarioSession/startTraffic(_:)``, ``ScenarioSession/stopTraffic(_:)`` and
/// ``ScenarioSession/trafficSamples()``.
public final class LoadTrafficDriver: Sendable {
    private struct Bucket: Hashable {
        var run: String
        var second: Int
        var status: Int
        var version: String?
    }

    private struct State {
        var generators: [String: LoadGenerator] = [:]
        var tasks: [String: Task<Void, Never>] = [:]
        var buckets: [Bucket: (count: Int, latencyMs: Double)] = [:]
        var errors: [String: String] = [:]
    }

    /// `http://127.0.0.1:PORT`: where the ingress listens (the load's Host header picks the Ingress).
    public let baseURL: String
    private let clock: ScenarioClock
    private let state = Mutex(State())

    public init(baseURL: String, clock: ScenarioClock) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.clock = clock
    }

    /// Starts a load; a second load with the same name is an error.
    public func start(_ load: TrafficLoad) throws {
        let spec = LoadSpec(
            url: baseURL + load.path,
            method: load.method,
            headers: load.headers.sorted { $0.key < $1.key }.map { HTTPHeader($0.key, $0.value) },
            host: load.host,
            mode: load.rate.map { .rate($0, maxInFlight: 64) } ?? .concurrency(load.concurrency ?? 1),
            // "Until stopped" is a day: the session stops it long before.
            limit: .duration(load.duration ?? .seconds(86_400)),
            timeout: .seconds(10),
            sampleBody: true
        )
        let offset = clock.realSeconds
        let name = load.name
        let generator = LoadGenerator(spec) { [self] sample in
            // Aggregated per real second (the chart's resolution), reported in scenario time.
            let real = offset + ScenarioClock.seconds(sample.start + sample.latency)
            let bucket = Bucket(
                run: name,
                second: Int(real.rounded(.down)),
                status: sample.status,
                version: sample.bodySample.flatMap(Self.podinfoVersion)
            )
            let latency = ScenarioClock.seconds(sample.latency) * 1000
            self.state.withLock { current in
                let entry = current.buckets[bucket] ?? (0, 0)
                current.buckets[bucket] = (entry.count + 1, entry.latencyMs + latency)
            }
        }
        try state.withLock { current in
            guard current.generators[name] == nil else {
                throw ScenarioBackendError("traffic '\(name)' is already running")
            }
            current.generators[name] = generator
        }
        let task = Task { [self] in
            do {
                _ = try await generator.run()
            } catch {
                self.state.withLock { $0.errors[name] = "\(error)" }
            }
        }
        state.withLock { $0.tasks[name] = task }
    }

    /// Stops a load and waits until its last responses are counted.
    public func stop(_ name: String) async {
        let (generator, task) = state.withLock { ($0.generators[name], $0.tasks[name]) }
        generator?.stop()
        await task?.value
    }

    /// Waits until a load ends by itself (its duration is over), without stopping it.
    public func finish(_ name: String) async {
        let task = state.withLock { $0.tasks[name] }
        await task?.value
    }

    public func stopAll() async {
        let names = state.withLock { Array($0.generators.keys) }
        for name in names { await stop(name) }
    }

    /// A load that could not run (bad URL, curl failure), by name.
    public func errors() -> [String: String] { state.withLock { $0.errors } }

    /// Samples so far, one per second, status and version of each load, in time order.
    public func samples() -> [NamedTrafficSample] {
        let buckets = state.withLock { $0.buckets }
        let clock = clock
        return buckets.map { bucket, entry in
            NamedTrafficSample(
                run: bucket.run,
                sample: TrafficSample(
                    t: clock.scenarioSeconds(real: Double(bucket.second)),
                    status: bucket.status,
                    version: bucket.version,
                    latencyMs: entry.latencyMs / Double(entry.count),
                    count: entry.count
                )
            )
        }
        .sorted {
            ($0.sample.t, $0.run, $0.sample.status, $0.sample.version ?? "") < (
                $1.sample.t, $1.run, $1.sample.status, $1.sample.version ?? ""
            )
        }
    }

    /// The `"version"` string of a podinfo JSON body (`GET /`, `/version`), from its first bytes.
    public static func podinfoVersion(_ body: [UInt8]) -> String? {
        let text = String(decoding: body, as: UTF8.self)
        guard let key = text.range(of: "\"version\"") else { return nil }
        var rest = text[key.upperBound...].drop { $0 == " " || $0 == ":" || $0 == "\n" || $0 == "\t" }
        guard rest.first == "\"" else { return nil }
        rest = rest.dropFirst()
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }
}
