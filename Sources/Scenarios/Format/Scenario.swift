import ObjectModel
import YAML

/// A scenario file (`apiVersion: rollout-e2e/v1`, `kind: Scenario`): what to do to the stack, step by step, and
/// what must have happened — the canary's timeline, the objects, the traffic users saw, alerts and webhooks.
public struct Scenario: Decodable, Sendable {
    /// The only apiVersion scenarios are written with.
    public static let apiVersion = "rollout-e2e/v1"
    public static let kind = "Scenario"

    public var apiVersion: String
    public var kind: String
    public var metadata: ScenarioMetadata
    public var spec: ScenarioSpec

    public init(
        apiVersion: String = Self.apiVersion,
        kind: String = Self.kind,
        metadata: ScenarioMetadata,
        spec: ScenarioSpec
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
    }

    /// The scenario's name (`metadata.name`), unique in a run.
    public var name: String { metadata.name }
}

/// `metadata`: a name (unique in a run) and a one-line description shown in reports.
public struct ScenarioMetadata: Decodable, Sendable {
    public var name: String
    public var description: String?
    public var labels: [String: String]?

    public init(name: String, description: String? = nil) {
        self.name = name
        self.description = description
    }
}

/// `spec`: where the scenario runs and what it does.
public struct ScenarioSpec: Decodable, Sendable {
    /// The namespace steps act on unless they name another.
    public var namespace: String
    /// The GitOps repository the scenario starts from.
    public var git: GitSource?
    /// Upper bound for the whole scenario (catch and finally included), in scenario time. Default 30m.
    public var timeout: ManifestDuration?
    public var steps: [Step]
    /// Steps run only when a step failed or timed out (to collect more, or undo), before `finally`.
    public var `catch`: [Step]?
    /// Steps run whatever happened (stop traffic, close gates).
    public var finally: [Step]?

    public init(
        namespace: String,
        git: GitSource? = nil,
        timeout: ManifestDuration? = nil,
        steps: [Step],
        catch: [Step]? = nil,
        finally: [Step]? = nil
    ) {
        self.namespace = namespace
        self.git = git
        self.timeout = timeout
        self.steps = steps
        self.catch = `catch`
        self.finally = finally
    }

    /// The default scenario timeout.
    public static let defaultTimeout = ManifestDuration(seconds: 1800)

    /// `timeout` or the default.
    public var effectiveTimeout: ManifestDuration { timeout ?? Self.defaultTimeout }
}

/// `spec.git`: the directory whose files seed the scenario's own Git repository, and its branches.
public struct GitSource: Decodable, Sendable {
    /// A directory, relative to the scenario file, copied into a fresh repository for each run.
    public var content: String
    /// Branches created from that content; the first is the default for `commit` steps. Default `[main]`.
    public var branches: [String]?

    public init(content: String, branches: [String]? = nil) {
        self.content = content
        self.branches = branches
    }

    /// `branches`, or `["main"]`.
    public var effectiveBranches: [String] {
        guard let branches, !branches.isEmpty else { return ["main"] }
        return branches
    }
}
