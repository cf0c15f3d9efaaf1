import ObjectModel
import YAML

/// One step of a scenario: an optional name and timeout, and exactly one action.
public struct Step: Decodable, Sendable {
    /// What the step is called in progress lines and reports; defaults to a summary of the action.
    public var name: String?
    /// How long the step may take, in scenario time (scaled by `--time-scale`).
    public var timeout: ManifestDuration?
    public var action: StepAction
    /// Where the step starts in its file (for messages).
    public var mark: Mark

    public init(
        name: String? = nil,
        timeout: ManifestDuration? = nil,
        action: StepAction,
        mark: Mark = Mark(line: 1, column: 1)
    ) {
        self.name = name
        self.timeout = timeout
        self.action = action
        self.mark = mark
    }

    /// The step's name, or a short description of its action.
    public var displayName: String { name ?? action.summary }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case name, timeout, commit, merge, apply, delete, traffic, gate, fault, sleep, wait, assert
    }

    /// The keys that name an action; a step has exactly one.
    public static let actionKeys = [
        "commit", "merge", "apply", "delete", "traffic", "gate", "fault", "sleep", "wait", "assert",
    ]

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let node = decoder.yamlNode
        mark = node?.mark ?? Mark(line: 1, column: 1)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        timeout = try container.decodeIfPresent(ManifestDuration.self, forKey: .timeout)
        let present = CodingKeys.allCases.filter { Self.actionKeys.contains($0.rawValue) && container.contains($0) }
        guard let key = present.first else {
            // Unknown keys (a misspelt action) are reported by the decoder with a suggestion; only a step with no
            // unknown key gets this message.
            let known = Set(CodingKeys.allCases.map(\.rawValue))
            if let pairs = node?.pairs, pairs.contains(where: { !known.contains($0.key.scalarValue ?? "") }) {
                action = .sleep(ManifestDuration(seconds: 0))
                return
            }
            throw decoder.yamlError("a step needs one action: " + Self.actionKeys.joined(separator: ", "))
        }
        if present.count > 1 {
            let second = present[1].rawValue
            let at = node?.pairs?.first { $0.key.scalarValue == second }?.key
            throw decoder.yamlError(
                "a step has exactly one action, found '\(key.rawValue)' and '\(second)'; split it into two steps",
                at: at
            )
        }
        switch key {
        case .commit: action = .commit(try container.decode(CommitAction.self, forKey: key))
        case .merge: action = .merge(try container.decode(MergeAction.self, forKey: key))
        case .apply: action = .apply(try container.decode(ApplyAction.self, forKey: key))
        case .delete: action = .delete(try container.decode(DeleteAction.self, forKey: key))
        case .traffic: action = .traffic(try container.decode(TrafficAction.self, forKey: key))
        case .gate: action = .gate(try container.decode(GateAction.self, forKey: key))
        case .fault: action = .fault(try container.decode(FaultAction.self, forKey: key))
        case .sleep: action = .sleep(try container.decode(ManifestDuration.self, forKey: key))
        case .wait: action = .wait(try container.decode(WaitAction.self, forKey: key))
        case .assert: action = .assert(try container.decode(AssertAction.self, forKey: key))
        case .name, .timeout: preconditionFailure("not an action key")
        }
    }
}

/// What a step does.
public enum StepAction: Sendable {
    /// Change files in the scenario's Git repository on a branch and push.
    case commit(CommitAction)
    /// Merge one branch into another and push.
    case merge(MergeAction)
    /// Apply manifests straight to the cluster.
    case apply(ApplyAction)
    /// Delete objects from the cluster.
    case delete(DeleteAction)
    /// Start or stop background load through the ingress.
    case traffic(TrafficAction)
    /// Open or close a loadtester gate.
    case gate(GateAction)
    /// Stop, kill or restart a component or a replica.
    case fault(FaultAction)
    case sleep(ManifestDuration)
    /// Wait until a condition holds (or the step times out).
    case wait(WaitAction)
    /// Check the timeline, objects, traffic, alerts or webhooks now.
    case assert(AssertAction)

    /// A few words for progress lines: `wait podinfo Succeeded`, `commit "release 6.0.1"`.
    public var summary: String {
        switch self {
        case .commit(let commit): "commit \"\(commit.message ?? "update")\""
        case .merge(let merge): "merge \(merge.from) into \(merge.into)"
        case .apply(let apply): "apply \(apply.file ?? "\(apply.manifests?.count ?? 0) manifest(s)")"
        case .delete(let delete): "delete \(delete.file ?? "\(delete.kind ?? "?")/\(delete.name ?? "?")")"
        case .traffic(.start(let start)): "start traffic \(start.name)"
        case .traffic(.stop(let name)): "stop traffic \(name)"
        case .gate(let gate): "\(gate.action.rawValue) \(gate.type.rawValue) gate of \(gate.canary)"
        case .fault(let fault): "\(fault.action.rawValue) \(fault.target.description)"
        case .sleep(let duration): "sleep \(duration)"
        case .wait(let wait): "wait \(wait.summary)"
        case .assert(let assert): "assert \(assert.kinds.joined(separator: ", "))"
        }
    }
}
