import CanaryEngine

/// A Canary's status as the local canary controller writes it to the store (Flagger's `CanaryStatus`).
public struct CanaryStatusRecord: ObjectStatus, Hashable {
    public var phase: String
    public var canaryWeight: Int
    /// The weight the router applies (`GetRoutes`): the canary ingress' weight, 100 under header routing.
    public var routerWeight: Int
    public var failedChecks: Int
    public var iterations: Int
    public var lastAppliedSpec: String?
    public var lastPromotedSpec: String?
    public var trackedConfigs: String?
    /// Seconds since the stack started, on the scaled clock (the Canary's own time).
    public var lastTransitionTime: Double
    /// Every event the controller recorded for this Canary, oldest first.
    public var events: [String]

    init(state: CanaryState, routerWeight: Int, lastTransitionTime: Double, events: [String]) {
        phase = state.phase.rawValue
        canaryWeight = state.canaryWeight
        self.routerWeight = routerWeight
        failedChecks = state.failedChecks
        iterations = state.iterations
        lastAppliedSpec = state.lastAppliedSpec
        lastPromotedSpec = state.lastPromotedSpec
        trackedConfigs = state.trackedConfigs
        self.lastTransitionTime = lastTransitionTime
        self.events = events
    }
}
