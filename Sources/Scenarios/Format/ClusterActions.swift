import YAML

/// `apply`: manifests straight to the cluster, from a file (relative to the scenario file) or inline.
public struct ApplyAction: Decodable, Sendable {
    public var file: String?
    public var manifests: [Node]?
    /// The namespace for objects that name none; default: the scenario's.
    public var namespace: String?

    public init(file: String? = nil, manifests: [Node]? = nil, namespace: String? = nil) {
        self.file = file
        self.manifests = manifests
        self.namespace = namespace
    }
}

/// `delete`: the objects of a file, or one object by kind and name.
public struct DeleteAction: Decodable, Sendable {
    public var file: String?
    public var kind: String?
    public var name: String?
    public var namespace: String?

    public init(file: String? = nil, kind: String? = nil, name: String? = nil, namespace: String? = nil) {
        self.file = file
        self.kind = kind
        self.name = name
        self.namespace = namespace
    }
}

/// `gate`: open or close one of the loadtester's gates for a canary.
public struct GateAction: Decodable, Sendable {
    /// Which gate. The loadtester keeps one approval gate per canary (`/gate/check`, used by confirm-rollout,
    /// confirm-traffic-increase and confirm-promotion hooks) and one rollback gate (`/rollback/check`).
    public enum GateType: String, Decodable, Sendable, CaseIterable {
        case confirmRollout = "confirm-rollout"
        case confirmTrafficIncrease = "confirm-traffic-increase"
        case confirmPromotion = "confirm-promotion"
        case rollback
    }

    /// Open lets the hook pass (HTTP 200), close makes it fail (403).
    public enum Action: String, Decodable, Sendable, CaseIterable {
        case open
        case close
    }

    public var canary: String
    public var namespace: String?
    public var type: GateType
    public var action: Action

    public init(canary: String, namespace: String? = nil, type: GateType, action: Action) {
        self.canary = canary
        self.namespace = namespace
        self.type = type
        self.action = action
    }
}

/// `fault`: stop, kill (SIGKILL) or restart a stack component or one replica of a Deployment.
public struct FaultAction: Decodable, Sendable {
    /// What happens to the target: SIGTERM and stay down, SIGKILL (restarted by its supervisor, like a crashed
    /// pod), stop then start, or start again after a stop.
    public enum Action: String, Decodable, Sendable, CaseIterable {
        case stop
        case kill
        case restart
        case start
    }

    /// What the fault hits.
    public enum Target: Sendable, Hashable, CustomStringConvertible {
        /// A component of the stack: `nginx`, `prometheus`, `redis`, `flagger`, `flux`, `loadtester`, `alertmanager`….
        case component(String)
        /// One replica (by index; all when `nil`) of a Deployment.
        case replica(deployment: String, namespace: String?, index: Int?)

        public var description: String {
            switch self {
            case .component(let name): name
            case .replica(let deployment, _, let index): index.map { "\(deployment)[\($0)]" } ?? deployment
            }
        }
    }

    /// Components a fault may name.
    public static let components = ["nginx", "prometheus", "redis", "flagger", "flux", "loadtester", "alert-receiver"]

    public var target: Target
    public var action: Action

    public init(target: Target, action: Action) {
        self.target = target
        self.action = action
    }

    private enum CodingKeys: String, CodingKey {
        case component, deployment, namespace, replica, action
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        action = try container.decode(Action.self, forKey: .action)
        let component = try container.decodeIfPresent(String.self, forKey: .component)
        let deployment = try container.decodeIfPresent(String.self, forKey: .deployment)
        switch (component, deployment) {
        case (let component?, nil):
            guard Self.components.contains(component) else {
                throw decoder.yamlError(
                    "unknown component '\(component)'; expected one of " + Self.components.joined(separator: ", "),
                    at: decoder.yamlNode?["component"]
                )
            }
            target = .component(component)
        case (nil, let deployment?):
            target = .replica(
                deployment: deployment,
                namespace: try container.decodeIfPresent(String.self, forKey: .namespace),
                index: try container.decodeIfPresent(Int.self, forKey: .replica)
            )
        default:
            throw decoder.yamlError("a fault names exactly one of component and deployment")
        }
    }
}
