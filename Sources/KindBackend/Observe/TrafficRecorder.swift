import CurlHTTP
import Foundation
import ObjectModel
import Synchronization

/// Aggregates load-generator responses into timeline traffic samples: one per second, status and version
/// (DESIGN.md §5).
public final class TrafficRecorder: Sendable {
    private struct Key: Hashable {
        var second: Int
        var status: Int
        var version: String?
    }
    private struct Bucket {
        var count = 0
        var latencyMs = 0.0
    }

    /// Seconds from the scenario's start to the load's start.
    public let offset: Double
    private let buckets = Mutex<[Key: Bucket]>([:])

    public init(offset: Double) {
        self.offset = offset
    }

    /// Adds one response (call from ``LoadGenerator``'s `onSample`).
    public func record(_ sample: LoadSample) {
        let t = offset + Self.seconds(sample.start)
        let key = Key(second: Int(t.rounded(.down)), status: sample.status, version: Self.version(sample.bodySample))
        let latency = Self.seconds(sample.latency) * 1000
        buckets.withLock { buckets in
            buckets[key, default: Bucket()].count += 1
            buckets[key, default: Bucket()].latencyMs += latency
        }
    }

    /// The samples so far, by second, then status, then version.
    public var samples: [TrafficSample] {
        buckets.withLock { buckets in
            buckets.sorted { a, b in
                (a.key.second, a.key.status, a.key.version ?? "") < (b.key.second, b.key.status, b.key.version ?? "")
            }.map { key, bucket in
                TrafficSample(
                    t: Double(key.second),
                    status: key.status,
                    version: key.version,
                    latencyMs: bucket.latencyMs / Double(bucket.count),
                    count: bucket.count
                )
            }
        }
    }

    /// podinfo's `"version": "6.14.1"` from the start of a JSON body (spec/podinfo.md `GET /`).
    static func version(_ body: [UInt8]?) -> String? {
        guard let body else { return nil }
        let text = String(decoding: body, as: UTF8.self)
        guard let key = text.range(of: "\"version\"") else { return nil }
        let rest = text[key.upperBound...].drop { $0 == " " || $0 == ":" }
        guard rest.first == "\"" else { return nil }
        let value = rest.dropFirst().prefix { $0 != "\"" }
        return value.isEmpty ? nil : String(value)
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
