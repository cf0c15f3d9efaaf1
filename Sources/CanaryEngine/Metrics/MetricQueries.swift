import ObjectModel

/// The PromQL Flagger sends for a metric (spec/flagger.md §3.1, §1.5): the builtin NGINX queries and rendered
/// MetricTemplate queries, byte for byte, so a local Prometheus answers the same question.
public enum MetricQueries {
    /// The builtin NGINX observer's query for `request-success-rate` (percent) or `request-duration` (mean ms),
    /// whitespace-collapsed the way Flagger's `trimQuery` sends it; `nil` for any other metric name.
    ///
    /// `ingress` is `ingressRef.name` (the user's ingress, not `-canary`); `canary!=""` selects requests served
    /// through the canary ingress.
    public static func nginx(metric: String, namespace: String, ingress: String, interval: String) -> String? {
        let selector = "namespace=\"\(namespace)\", ingress=\"\(ingress)\", canary!=\"\""
        switch metric {
        case "request-success-rate":
            return " sum( rate( nginx_ingress_controller_requests{ \(selector), status!~\"5.*\" }[\(interval)] ) )"
                + " / sum( rate( nginx_ingress_controller_requests{ \(selector) }[\(interval)] ) ) * 100"
        case "request-duration":
            return " sum( rate( nginx_ingress_controller_response_duration_seconds_sum{ \(selector) }[\(interval)] ) )"
                + " / sum( rate( nginx_ingress_controller_response_duration_seconds_count{ \(selector) }"
                + "[\(interval)] ) ) * 1000"
        default:
            return nil
        }
    }

    /// The builtin query for `metric` of `canary` (interval defaulted to `1m`), or `nil` when it is not builtin.
    public static func builtin(_ metric: CanaryMetric, of canary: Canary) -> String? {
        nginx(
            metric: metric.name,
            namespace: canary.namespace,
            ingress: canary.ingressName,
            interval: metric.effectiveInterval.isEmpty ? "1m" : metric.effectiveInterval
        )
    }

    /// A rendering failure, with Go text/template's wording where it matters.
    public struct RenderError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Renders a MetricTemplate query for `metric` of `canary` like `observers.RenderQuery` with
    /// `missingkey=error`: `{{ name }}`, `{{ namespace }}`, `{{ target }}`, `{{ service }}`, `{{ ingress }}`,
    /// `{{ route }}`, `{{ interval }}` (the metric's own interval, "" when unset — Q12) and `{{ variables.KEY }}`.
    public static func render(_ template: String, canary: Canary, metric: CanaryMetric) throws -> String {
        let values: [String: String] = [
            "name": canary.name,
            "namespace": canary.namespace,
            "target": canary.spec.targetRef.name,
            "service": canary.serviceName,
            "ingress": canary.ingressName,
            "route": canary.spec.targetRef.name,
            "interval": metric.interval ?? "",
        ]
        let variables = metric.templateVariables ?? [:]
        var output = ""
        var rest = Substring(template)
        while let open = rest.firstRange(of: "{{") {
            output += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstRange(of: "}}") else {
                throw RenderError(description: "template: query: unclosed action")
            }
            var action = rest[open.upperBound..<close.lowerBound]
            if action.hasPrefix("-") { action = action.dropFirst() }
            if action.hasSuffix("-") { action = action.dropLast() }
            let name = action.trimmingWhitespace()
            if let value = values[String(name)] {
                output += value
            } else if name.hasPrefix("variables.") {
                let key = String(name.dropFirst("variables.".count))
                guard let value = variables[key] else {
                    throw RenderError(description: "template: query: map has no entry for key \"\(key)\"")
                }
                output += value
            } else {
                throw RenderError(description: "template: query: function \"\(name)\" not defined")
            }
            rest = rest[close.upperBound...]
        }
        output += rest
        return output
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return self[first...last]
    }
}
