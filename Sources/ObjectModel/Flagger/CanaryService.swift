import YAML

/// `spec.service` (canary.go:130-249). The NGINX router reads only the port fields and `name`; the mesh and gateway
/// fields are kept as raw nodes so manifests written for other providers still validate.
public struct CanaryService: Codable, Sendable, Hashable {
    /// Apex service name; defaults to `targetRef.name`.
    public var name: String?
    public var port: Int
    public var portName: String?
    public var targetPort: IntOrString?
    public var portDiscovery: Bool?
    public var appProtocol: String?
    public var trafficDistribution: String?
    public var headless: Bool?
    public var timeout: String?
    public var backendTimeout: String?
    public var gateways: Node?
    public var gatewayRefs: Node?
    public var hosts: Node?
    public var delegation: Node?
    public var trafficPolicy: Node?
    public var match: Node?
    public var rewrite: Node?
    public var retries: Node?
    public var headers: Node?
    public var mirror: Node?
    public var corsPolicy: Node?
    public var meshName: String?
    public var backends: Node?
    public var apex: Node?
    public var primary: Node?
    public var canary: Node?
    public var unmanagedMetadata: Node?

    public init(name: String? = nil, port: Int, targetPort: IntOrString? = nil) {
        self.name = name
        self.port = port
        self.targetPort = targetPort
    }
}
