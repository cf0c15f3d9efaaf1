import ObjectModel
import YAML

/// `traffic`: start a named background load through the ingress, or stop one.
public enum TrafficAction: Decodable, Sendable {
    case start(TrafficStart)
    case stop(String)

    private enum CodingKeys: String, CodingKey {
        case stop
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.stop) {
            self = .stop(try container.decode(String.self, forKey: .stop))
        } else {
            self = .start(try TrafficStart(from: decoder))
        }
    }
}

/// A load to start: where (`path`, `host`, `headers`), how hard (`rate` or `concurrency`) and for how long
/// (`duration`, or `until` a canary finishes). Every response is recorded: status, served version, latency.
public struct TrafficStart: Decodable, Sendable, Hashable {
    /// The name `stop` and traffic assertions use.
    public var name: String
    public var method: String
    public var path: String
    /// The Host header the ingress routes on; default: the host of the scenario's first Ingress.
    public var host: String?
    public var headers: [String: String]
    /// Requests per second (open loop).
    public var rate: Double?
    /// Requests always in flight (closed loop).
    public var concurrency: Int?
    /// How long the load runs, in scenario time.
    public var duration: ManifestDuration?
    /// Run until this canary reaches Succeeded or Failed after it started progressing.
    public var until: CanaryReference?

    public init(
        name: String,
        method: String = "GET",
        path: String = "/",
        host: String? = nil,
        headers: [String: String] = [:],
        rate: Double? = nil,
        concurrency: Int? = nil,
        duration: ManifestDuration? = nil,
        until: CanaryReference? = nil
    ) {
        self.name = name
        self.method = method
        self.path = path
        self.host = host
        self.headers = headers
        self.rate = rate
        self.concurrency = concurrency
        self.duration = duration
        self.until = until
    }

    private enum CodingKeys: String, CodingKey {
        case start, method, path, host, headers, rate, concurrency, duration, until
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .start)
        method = try container.decodeIfPresent(String.self, forKey: .method) ?? "GET"
        path = try container.decodeIfPresent(String.self, forKey: .path) ?? "/"
        host = try container.decodeIfPresent(String.self, forKey: .host)
        headers = try container.decodeIfPresent([String: String].self, forKey: .headers) ?? [:]
        rate = try container.decodeIfPresent(Double.self, forKey: .rate)
        concurrency = try container.decodeIfPresent(Int.self, forKey: .concurrency)
        duration = try container.decodeIfPresent(ManifestDuration.self, forKey: .duration)
        until = try container.decodeIfPresent(CanaryReference.self, forKey: .until)
    }
}

/// A canary by name, in the scenario's namespace unless `namespace` says otherwise.
public struct CanaryReference: Decodable, Sendable, Hashable {
    public var canary: String
    public var namespace: String?

    public init(canary: String, namespace: String? = nil) {
        self.canary = canary
        self.namespace = namespace
    }
}
