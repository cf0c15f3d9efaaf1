import YAML

/// `v1 Service`.
public struct Service: KubernetesObject, Hashable, Validatable {
    public static let apiVersion = "v1"
    public static let kind = "Service"
    public var apiVersion: String = Self.apiVersion
    public var kind: String = Self.kind
    public var metadata: ObjectMeta
    public var spec: ServiceSpec
    public var status: Node?

    public init(metadata: ObjectMeta, spec: ServiceSpec) {
        self.metadata = metadata
        self.spec = spec
    }

    public func validate(_ context: ValidationContext) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if spec.ports?.isEmpty ?? true, spec.type != "ExternalName" {
            problems.append(context.error(["spec", "ports"], "a Service needs at least one port"))
        }
        for (index, port) in (spec.ports ?? []).enumerated() where !(1...65535).contains(port.port) {
            problems.append(
                context.error(["spec", "ports", "\(index)", "port"], "port \(port.port) is outside 1-65535")
            )
        }
        return problems
    }
}

/// `ServiceSpec`.
public struct ServiceSpec: Codable, Sendable, Hashable {
    public var type: String?
    public var selector: [String: String]?
    public var ports: [ServicePort]?
    public var clusterIP: String?
    public var clusterIPs: [String]?
    public var externalName: String?
    public var sessionAffinity: String?
    public var ipFamilies: [String]?
    public var ipFamilyPolicy: String?
    public var internalTrafficPolicy: String?
    public var externalTrafficPolicy: String?

    public init(selector: [String: String]?, ports: [ServicePort]) {
        self.selector = selector
        self.ports = ports
    }
}

/// One port of a Service.
public struct ServicePort: Codable, Sendable, Hashable {
    public var name: String?
    public var port: Int
    public var targetPort: IntOrString?
    public var protocol_: String?
    public var nodePort: Int?
    public var appProtocol: String?

    enum CodingKeys: String, CodingKey {
        case name, port, targetPort, nodePort, appProtocol
        case protocol_ = "protocol"
    }

    public init(name: String? = nil, port: Int, targetPort: IntOrString? = nil) {
        self.name = name
        self.port = port
        self.targetPort = targetPort
    }
}
