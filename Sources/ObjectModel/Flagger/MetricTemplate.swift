import YAML

/// `flagger.app/v1beta1 MetricTemplate`: a provider and a query template (spec/flagger.md §1.5).
public struct MetricTemplate: KubernetesObject, Hashable, Validatable {
    public static let apiVersion = "flagger.app/v1beta1"
    public static let kind = "MetricTemplate"
    public var apiVersion: String = Self.apiVersion
    public var kind: String = Self.kind
    public var metadata: ObjectMeta
    public var spec: MetricTemplateSpec

    public init(metadata: ObjectMeta, spec: MetricTemplateSpec) {
        self.metadata = metadata
        self.spec = spec
    }

    /// Provider types the CRD accepts; an unknown type at runtime falls back to Prometheus with a warning.
    public static let providerTypes = [
        "prometheus", "influxdb", "datadog", "externalmetrics", "stackdriver", "cloudwatch", "newrelic", "graphite",
        "dynatrace", "keptn", "splunk",
    ]

    public func validate(_ context: ValidationContext) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if !Self.providerTypes.contains(spec.provider.type) {
            problems.append(
                context.error(
                    ["spec", "provider", "type"],
                    "unknown provider type '\(spec.provider.type)'; expected one of "
                        + Self.providerTypes.joined(separator: ", ")
                )
            )
        }
        if spec.provider.type == "prometheus", spec.provider.address?.isEmpty ?? true {
            problems.append(
                context.error(
                    ["spec", "provider"],
                    "a prometheus provider needs an address (Flagger: \"address  is not a valid URL\")"
                )
            )
        }
        if spec.query.allSatisfy(\.isWhitespace) {
            problems.append(context.error(["spec", "query"], "query must not be empty"))
        }
        return problems
    }
}

/// `MetricTemplateSpec`: CRD-required `provider` and `query`.
public struct MetricTemplateSpec: Codable, Sendable, Hashable {
    public var provider: MetricTemplateProvider
    /// Go text/template with `{{ name }}`, `{{ namespace }}`, `{{ target }}`, `{{ service }}`, `{{ ingress }}`,
    /// `{{ route }}`, `{{ interval }}` and `{{ variables.KEY }}`.
    public var query: String

    public init(provider: MetricTemplateProvider, query: String) {
        self.provider = provider
        self.query = query
    }
}

/// Where a MetricTemplate's query runs.
public struct MetricTemplateProvider: Codable, Sendable, Hashable {
    public var type: String
    public var address: String?
    public var headers: [String: [String]]?
    public var secretRef: SecretReference?
    public var insecureSkipVerify: Bool?
    public var region: String?

    /// A Secret by name in the template's namespace.
    public struct SecretReference: Codable, Sendable, Hashable {
        public var name: String
    }

    public init(type: String = "prometheus", address: String?) {
        self.type = type
        self.address = address
    }
}
