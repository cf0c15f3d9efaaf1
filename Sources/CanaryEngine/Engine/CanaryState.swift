/// Everything the engine remembers between ticks: the Canary's status as Flagger writes it, plus the canary
/// ingress the NGINX router reads its weights back from.
///
/// Flagger never reads `canaryWeight` for decisions; the current weight always comes from the router
/// (spec/flagger.md §1.4), which is why ``routes`` is part of the state.
public struct CanaryState: Sendable, Hashable {
    public var phase: CanaryPhase
    /// The reported weight (`status.canaryWeight`), display-only.
    public var canaryWeight: Int
    public var failedChecks: Int
    public var iterations: Int
    /// Pod-template hash of the target at the last `SyncStatus`; `nil` is Flagger's "".
    public var lastAppliedSpec: String?
    /// Pod-template hash last promoted to the primary.
    public var lastPromotedSpec: String?
    /// Checksum of the tracked ConfigMaps and Secrets at the last `SyncStatus`.
    public var trackedConfigs: String?
    /// The `<ingress>-canary` annotations Flagger's NGINX router manages.
    public var routes: NginxRoutes

    /// A Canary just created: `syncHandler` has set `Initializing`, no canary ingress exists yet.
    public init(
        phase: CanaryPhase = .initializing,
        canaryWeight: Int = 0,
        failedChecks: Int = 0,
        iterations: Int = 0,
        lastAppliedSpec: String? = nil,
        lastPromotedSpec: String? = nil,
        trackedConfigs: String? = nil,
        routes: NginxRoutes = NginxRoutes()
    ) {
        self.phase = phase
        self.canaryWeight = canaryWeight
        self.failedChecks = failedChecks
        self.iterations = iterations
        self.lastAppliedSpec = lastAppliedSpec
        self.lastPromotedSpec = lastPromotedSpec
        self.trackedConfigs = trackedConfigs
        self.routes = routes
    }
}
