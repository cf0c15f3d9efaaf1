import YAML

/// `LabelSelector` (matchLabels is what Deployments and Flagger use; expressions are kept as written).
public struct LabelSelector: Codable, Sendable, Hashable {
    public var matchLabels: [String: String]?
    public var matchExpressions: Node?

    public init(matchLabels: [String: String]) { self.matchLabels = matchLabels }
}

/// A pod template: what a Deployment stamps out, and what Flagger copies from canary to primary on promotion.
public struct PodTemplateSpec: Codable, Sendable, Hashable {
    public var metadata: TemplateMeta?
    public var spec: PodSpec

    public init(metadata: TemplateMeta? = nil, spec: PodSpec) {
        self.metadata = metadata
        self.spec = spec
    }
}

/// The metadata of a pod template (no name of its own).
public struct TemplateMeta: Codable, Sendable, Hashable {
    public var labels: [String: String]?
    public var annotations: [String: String]?
    public var name: String?
    public var creationTimestamp: Node?

    public init(labels: [String: String]? = nil, annotations: [String: String]? = nil) {
        self.labels = labels
        self.annotations = annotations
    }
}

/// `PodSpec`: containers typed; the long tail of scheduling and security fields kept as written.
public struct PodSpec: Codable, Sendable, Hashable {
    public var containers: [Container]
    public var initContainers: [Container]?
    public var volumes: Node?
    public var serviceAccountName: String?
    public var serviceAccount: String?
    public var terminationGracePeriodSeconds: Int?
    public var restartPolicy: String?
    public var nodeSelector: [String: String]?
    public var affinity: Node?
    public var tolerations: Node?
    public var securityContext: Node?
    public var imagePullSecrets: Node?
    public var topologySpreadConstraints: Node?
    public var priorityClassName: String?
    public var dnsPolicy: String?
    public var hostname: String?
    public var enableServiceLinks: Bool?
    public var automountServiceAccountToken: Bool?
    public var schedulerName: String?

    public init(containers: [Container]) { self.containers = containers }
}

/// One container of a pod.
public struct Container: Codable, Sendable, Hashable {
    public var name: String
    public var image: String?
    public var imagePullPolicy: String?
    public var command: [String]?
    public var args: [String]?
    public var workingDir: String?
    public var env: [EnvVar]?
    public var envFrom: Node?
    public var ports: [ContainerPort]?
    public var livenessProbe: Probe?
    public var readinessProbe: Probe?
    public var startupProbe: Probe?
    public var resources: Node?
    public var volumeMounts: Node?
    public var securityContext: Node?
    public var lifecycle: Node?
    public var terminationMessagePath: String?
    public var terminationMessagePolicy: String?
    public var stdin: Bool?
    public var tty: Bool?

    public init(name: String, image: String?, env: [EnvVar]? = nil, command: [String]? = nil, args: [String]? = nil) {
        self.name = name
        self.image = image
        self.env = env
        self.command = command
        self.args = args
    }

    /// The image tag (`ghcr.io/stefanprodan/podinfo:6.0.1` → `6.0.1`), nil when untagged or pinned by digest only.
    public var imageTag: String? {
        guard var image else { return nil }
        if let at = image.firstIndex(of: "@") { image = String(image[..<at]) }
        guard let colon = image.lastIndex(of: ":"), !image[colon...].contains("/") else { return nil }
        return String(image[image.index(after: colon)...])
    }
}

/// An environment variable: a literal `value` or a `valueFrom` reference (kept as written).
public struct EnvVar: Codable, Sendable, Hashable {
    public var name: String
    public var value: String?
    public var valueFrom: Node?

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A container port.
public struct ContainerPort: Codable, Sendable, Hashable {
    public var name: String?
    public var containerPort: Int
    public var protocol_: String?
    public var hostPort: Int?
    public var hostIP: String?

    enum CodingKeys: String, CodingKey {
        case name, containerPort, hostPort, hostIP
        case protocol_ = "protocol"
    }

    public init(name: String? = nil, containerPort: Int) {
        self.name = name
        self.containerPort = containerPort
    }
}

/// A probe; the harness reads httpGet path/port (podinfo's `/readyz`), the rest is kept as written.
public struct Probe: Codable, Sendable, Hashable {
    public var httpGet: HTTPGetAction?
    public var exec: Node?
    public var tcpSocket: Node?
    public var grpc: Node?
    public var initialDelaySeconds: Int?
    public var periodSeconds: Int?
    public var timeoutSeconds: Int?
    public var successThreshold: Int?
    public var failureThreshold: Int?
    public var terminationGracePeriodSeconds: Int?
}

/// `httpGet` of a probe. `port` is a number or a port name.
public struct HTTPGetAction: Codable, Sendable, Hashable {
    public var path: String?
    public var port: IntOrString
    public var host: String?
    public var scheme: String?
    public var httpHeaders: Node?
}

/// Kubernetes' `IntOrString` (ports, maxSurge, targetPort).
public enum IntOrString: Codable, Sendable, Hashable, CustomStringConvertible {
    case int(Int)
    case string(String)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        }
    }

    public var description: String {
        switch self {
        case .int(let value): "\(value)"
        case .string(let value): value
        }
    }
}
