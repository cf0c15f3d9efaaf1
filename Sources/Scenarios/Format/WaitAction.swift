import YAML

/// `wait`: poll until a condition holds, failing at the step's timeout. Exactly one subject: a canary's status
/// (`phase`, `canaryWeight` ≥, `failedChecks` ≥, `iterations` ≥), an object partially matching `match`, or an
/// object's condition.
public struct WaitAction: Decodable, Sendable {
    public var canary: String?
    public var namespace: String?
    /// Any of these phases.
    public var phase: OneOrMany<String>?
    /// `status.canaryWeight` at least this.
    public var canaryWeight: Int?
    /// `status.failedChecks` at least this.
    public var failedChecks: Int?
    /// `status.iterations` at least this (A/B and blue/green analyses).
    public var iterations: Int?
    public var object: ObjectReference?
    /// The partial object `object` must match (every key given must be there with that value).
    public var match: Node?
    public var condition: ConditionWait?

    public init(
        canary: String? = nil,
        namespace: String? = nil,
        phase: [String]? = nil,
        canaryWeight: Int? = nil,
        failedChecks: Int? = nil,
        iterations: Int? = nil,
        object: ObjectReference? = nil,
        match: Node? = nil,
        condition: ConditionWait? = nil
    ) {
        self.canary = canary
        self.namespace = namespace
        self.phase = phase.map(OneOrMany.init)
        self.canaryWeight = canaryWeight
        self.failedChecks = failedChecks
        self.iterations = iterations
        self.object = object
        self.match = match
        self.condition = condition
    }

    var summary: String {
        if let canary {
            var parts = [canary]
            if let phase { parts.append(phase.values.joined(separator: "|")) }
            if let canaryWeight { parts.append("weight≥\(canaryWeight)") }
            if let failedChecks { parts.append("failedChecks≥\(failedChecks)") }
            if let iterations { parts.append("iterations≥\(iterations)") }
            return parts.joined(separator: " ")
        }
        if let object { return "\(object) matches" }
        if let condition {
            return "\(condition.kind)/\(condition.name) \(condition.type)=\(condition.status ?? "True")"
        }
        return "?"
    }
}

/// An object in the cluster by kind and name (namespace: the scenario's unless given).
public struct ObjectReference: Decodable, Sendable, Hashable, CustomStringConvertible {
    public var kind: String
    public var name: String
    public var namespace: String?

    public init(kind: String, name: String, namespace: String? = nil) {
        self.kind = kind
        self.name = name
        self.namespace = namespace
    }

    public var description: String { "\(kind)/\(name)" }
}

/// `condition`: an entry of `status.conditions` with `type` and `status` (default `"True"`).
public struct ConditionWait: Decodable, Sendable, Hashable {
    public var kind: String
    public var name: String
    public var namespace: String?
    public var type: String
    public var status: String?

    public init(kind: String, name: String, namespace: String? = nil, type: String, status: String? = nil) {
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.type = type
        self.status = status
    }
}
