import ObjectModel

/// The outcome of one check: which (`timeline.phases of podinfo.test`), whether it passed, and what was observed.
public struct AssertionResult: Sendable, Hashable {
    /// The assertion's name as written in the scenario, with its subject: `timeline.finalPhase (podinfo.test)`.
    public var name: String
    public var passed: Bool
    /// For a failure: expected vs observed, and the observed timeline in compact form. For a pass: what was seen.
    public var message: String

    public init(name: String, passed: Bool, message: String) {
        self.name = name
        self.passed = passed
        self.message = message
    }

    static func check(_ name: String, _ passed: Bool, _ message: @autoclosure () -> String) -> AssertionResult {
        AssertionResult(name: name, passed: passed, message: message())
    }
}

/// Everything recorded during a scenario that assertions read.
public struct ScenarioObservations: Sendable {
    /// Each canary's timeline, keyed `name.namespace`.
    public var canaries: [String: [CanaryObservation]]
    public var traffic: [NamedTrafficSample]
    public var alerts: [ObservedAlert]
    public var webhooks: [WebhookCall]
    /// Real seconds per scenario second (`--time-scale`); durations in assertions are in scenario time.
    public var timeScale: Double

    public init(
        canaries: [String: [CanaryObservation]] = [:],
        traffic: [NamedTrafficSample] = [],
        alerts: [ObservedAlert] = [],
        webhooks: [WebhookCall] = [],
        timeScale: Double = 1
    ) {
        self.canaries = canaries
        self.traffic = traffic
        self.alerts = alerts
        self.webhooks = webhooks
        self.timeScale = timeScale
    }

    /// `podinfo.test`: how canaries are keyed and how Flagger names them in alerts.
    public static func key(canary: String, namespace: String) -> String { "\(canary).\(namespace)" }
}
