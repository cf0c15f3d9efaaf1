/// One step of the kind backend's plan: what `--dry-run` prints and what `up`/`down` execute, in order.
public struct PlanStep: Sendable, Hashable {
    /// What the step is for, printed as a heading.
    public enum Phase: String, Sendable, Hashable {
        case preflight, cluster, install, wait, manifests, gitops, teardown
    }

    /// What the step does.
    public enum Action: Sendable, Hashable {
        /// Runs a command. `{{name}}` in an argument is replaced by the captured output of an earlier step
        /// (``PlanStep/capture``) or by `{{now}}`, the current Unix time (reconcile tokens).
        case run(Command)
        /// Runs a command while `background` runs (a `kubectl port-forward` when there is no Kind port mapping).
        case runDuring(Command, background: Command)
        /// Replaces the GitOps work tree's content (all but `.git`) with a copy of a kustomize directory.
        case seed(from: String, to: String)
    }

    /// Re-runs a failing command, for upstreams known to be slow to become ready.
    public struct Retry: Sendable, Hashable {
        public var attempts: Int
        public var delay: Duration
        /// Why it is retried (printed in the plan and in the failure message).
        public var reason: String

        public init(attempts: Int, delay: Duration, reason: String) {
            self.attempts = attempts
            self.delay = delay
            self.reason = reason
        }
    }

    /// Skips a step when an earlier step's output lists a line (an existing cluster is reused).
    public struct Skip: Sendable, Hashable {
        public var stepID: String
        public var line: String
        public var reason: String
    }

    public var id: String
    public var phase: Phase
    public var title: String
    public var action: Action
    /// The bound on one attempt; the process is killed after it.
    public var timeout: Duration
    public var retry: Retry?
    public var skip: Skip?
    /// Keep the trimmed standard output under this name for later `{{name}}` arguments.
    public var capture: String?
    /// Stream the output while it runs (long installs).
    public var streaming: Bool
    /// Files and kustomize directories the step applies or reads, printed with `--dry-run`.
    public var manifests: [String]

    public init(
        id: String,
        phase: Phase,
        title: String,
        action: Action,
        timeout: Duration,
        retry: Retry? = nil,
        skip: Skip? = nil,
        capture: String? = nil,
        streaming: Bool = false,
        manifests: [String] = []
    ) {
        self.id = id
        self.phase = phase
        self.title = title
        self.action = action
        self.timeout = timeout
        self.retry = retry
        self.skip = skip
        self.capture = capture
        self.streaming = streaming
        self.manifests = manifests
    }

    /// The commands the step runs, background first.
    public var commands: [Command] {
        switch action {
        case .run(let command): [command]
        case .runDuring(let command, let background): [background, command]
        case .seed: []
        }
    }
}
