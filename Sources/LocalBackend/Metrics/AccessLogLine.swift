import Foundation

/// One request as nginx logged it (the JSON `log_format` of ``NginxConfig``).
public struct AccessLogLine: Decodable, Sendable, Hashable {
    public var namespace: String
    public var ingress: String
    public var service: String
    public var canary: String
    public var path: String
    public var host: String
    public var method: String
    public var status: String
    public var request_time: String
    public var upstream_time: String
    /// The canary backend of the route this request took (whether or not it went there), empty when the route has
    /// none: the exporter keeps the canary's series at zero from the first request on the route (see
    /// `IngressMetrics.record`). Absent in lines logged before the field existed.
    public var route_canary: String?
    public var route_canary_service: String?

    /// The upstream response time in seconds: nginx writes `-` when no upstream answered and a comma-separated list
    /// when it retried; ingress-nginx falls back to the request time, and so do we.
    public var responseSeconds: Double {
        let parts = upstream_time.split { $0 == "," || $0 == ":" || $0 == " " }.compactMap { Double($0) }
        return parts.isEmpty ? requestSeconds : parts.reduce(0, +)
    }

    public var requestSeconds: Double { Double(request_time) ?? 0 }

    static func parse(_ line: Substring) -> AccessLogLine? {
        try? JSONDecoder().decode(AccessLogLine.self, from: Data(line.utf8))
    }
}
