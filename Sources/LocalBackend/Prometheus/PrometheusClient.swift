import CurlHTTP
import Foundation

/// Prometheus' HTTP query API as Flagger's provider uses it (spec/flagger.md §3.3): an instant query, 5 s timeout,
/// the last sample of a vector wins, empty or NaN is "no values found", anything else an error. Fails fast when
/// Prometheus is down (connection refused), never hangs.
public struct PrometheusClient: Sendable {
    /// Why a query produced no value.
    public struct QueryError: Error, CustomStringConvertible, Sendable, Hashable {
        public var description: String
        /// True for Flagger's `ErrNoValuesFound`.
        public var noValues: Bool
    }

    public var address: String
    public var timeout: Duration

    public init(address: String, timeout: Duration = .seconds(5)) {
        self.address = address
        self.timeout = timeout
    }

    /// Runs `query` and returns its single value.
    public func value(_ query: String) async throws -> Double {
        let encoded = query.addingPercentEncoding(withAllowedCharacters: Self.queryAllowed) ?? query
        let response: HTTPResponse
        do {
            response = try await HTTPClient.shared.get("\(address)/api/v1/query?query=\(encoded)", timeout: timeout)
        } catch {
            throw QueryError(description: "\(error)", noValues: false)
        }
        guard response.status < 400 else {
            throw QueryError(description: "error response: \(response.text)", noValues: false)
        }
        guard let json = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
            let data = json["data"] as? [String: Any]
        else { throw QueryError(description: "error reading response: \(response.text)", noValues: false) }
        let resultType = data["resultType"] as? String
        guard resultType != "matrix" else {
            throw QueryError(description: "query result has multiple values", noValues: false)
        }
        var value: Double?
        if resultType == "scalar", let pair = data["result"] as? [Any], pair.count == 2 {
            value = Double("\(pair[1])")
        } else if let samples = data["result"] as? [[String: Any]] {
            for sample in samples {
                if let pair = sample["value"] as? [Any], pair.count == 2 { value = Double("\(pair[1])") }
            }
        }
        guard let value, !value.isNaN else { throw QueryError(description: "no values found", noValues: true) }
        return value
    }

    private static let queryAllowed: CharacterSet = {
        var set = CharacterSet.alphanumerics
        set.insert(charactersIn: "-._~")
        return set
    }()
}
