import YAML

/// `networking.k8s.io/v1 Ingress`. Flagger's NGINX provider clones it into `<name>-canary` with canary annotations.
public struct Ingress: KubernetesObject, Hashable, Validatable {
    public static let apiVersion = "networking.k8s.io/v1"
    public static let kind = "Ingress"
    public var apiVersion: String = Self.apiVersion
    public var kind: String = Self.kind
    public var metadata: ObjectMeta
    public var spec: IngressSpec
    public var status: Node?

    public init(metadata: ObjectMeta, spec: IngressSpec) {
        self.metadata = metadata
        self.spec = spec
    }

    public func validate(_ context: ValidationContext) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if spec.rules?.isEmpty ?? true, spec.defaultBackend == nil {
            problems.append(context.error(["spec"], "an Ingress needs rules or a defaultBackend"))
        }
        for (r, rule) in (spec.rules ?? []).enumerated() {
            for (p, path) in (rule.http?.paths ?? []).enumerated() {
                let at = ["spec", "rules", "\(r)", "http", "paths", "\(p)"]
                if path.backend.service == nil {
                    problems.append(context.error(at + ["backend"], "the backend needs a service"))
                }
                if let type = path.pathType, !["Prefix", "Exact", "ImplementationSpecific"].contains(type) {
                    problems.append(
                        context.error(at + ["pathType"], "pathType must be Prefix, Exact or ImplementationSpecific")
                    )
                }
            }
        }
        return problems
    }
}

/// `IngressSpec`.
public struct IngressSpec: Codable, Sendable, Hashable {
    public var ingressClassName: String?
    public var rules: [IngressRule]?
    public var defaultBackend: IngressBackend?
    public var tls: Node?

    public init(ingressClassName: String? = nil, rules: [IngressRule]) {
        self.ingressClassName = ingressClassName
        self.rules = rules
    }
}

/// One host's rules.
public struct IngressRule: Codable, Sendable, Hashable {
    public var host: String?
    public var http: HTTPIngressRuleValue?

    public init(host: String?, paths: [HTTPIngressPath]) {
        self.host = host
        self.http = HTTPIngressRuleValue(paths: paths)
    }
}

/// The HTTP paths of a rule.
public struct HTTPIngressRuleValue: Codable, Sendable, Hashable {
    public var paths: [HTTPIngressPath]
}

/// A path routed to a backend.
public struct HTTPIngressPath: Codable, Sendable, Hashable {
    public var path: String?
    public var pathType: String?
    public var backend: IngressBackend

    public init(path: String, pathType: String = "Prefix", backend: IngressBackend) {
        self.path = path
        self.pathType = pathType
        self.backend = backend
    }
}

/// A Service backend (resource backends are kept as written).
public struct IngressBackend: Codable, Sendable, Hashable {
    public var service: IngressServiceBackend?
    public var resource: Node?

    public init(service: String, port: Int) {
        self.service = IngressServiceBackend(name: service, port: ServiceBackendPort(number: port))
    }
}

/// The Service and port an Ingress path sends traffic to.
public struct IngressServiceBackend: Codable, Sendable, Hashable {
    public var name: String
    public var port: ServiceBackendPort
}

/// A Service port by number or by name.
public struct ServiceBackendPort: Codable, Sendable, Hashable {
    public var number: Int?
    public var name: String?
}
