import ObjectModel

/// Flagger's canary analysis as a pure state machine: one ``advance(_:inputs:explain:)`` call is one
/// `advanceCanary` tick of Flagger v1.44.0 for a Canary on the NGINX provider (spec/flagger.md §2).
///
/// The engine holds the Canary and what Flagger derives from it (defaults, hooks by type, alert fields) so a tick
/// does no parsing. It has no clock and performs no I/O: readiness, webhook and metric results come from
/// ``TickInputs``; everything to do comes back as ``CanaryAction``s, in the order Flagger does it.
public struct CanaryEngine: Sendable {
    /// Shared by reference so that starting a tick copies one pointer, not the whole Canary.
    let config: EngineConfiguration

    public var canary: Canary { config.canary }

    public init(canary: Canary) {
        config = EngineConfiguration(canary: canary)
    }

    /// Runs one tick from `state`. `inputs` answers readiness, webhook and metric questions as they come up.
    public func advance<Inputs: TickInputs>(
        _ state: CanaryState,
        inputs: inout Inputs,
        explain: Bool = false
    ) async -> TickOutcome {
        var tick = Tick(engine: config, begin: state, explain: explain)
        await tick.run(&inputs)
        return TickOutcome(state: tick.status, actions: tick.actions, notes: tick.notes)
    }

    /// The `routerWeight` of a state: the canary weight `GetRoutes` reports (100 while A/B header routing is set).
    public func routerWeight(of state: CanaryState) -> Int {
        NginxRouter.getRoutes(state.routes, match: config.match).canary
    }

    /// How often Flagger runs a tick for this canary: `analysis.interval`, 60 s by default, at least 10 s.
    public var intervalSeconds: Double { config.canary.analysisIntervalSeconds }

    /// `progressDeadlineSeconds` (600 by default), for the readiness of a ``DeploymentSnapshot``.
    public var progressDeadlineSeconds: Int { config.canary.progressDeadlineSeconds }

    /// The analysis in effect (`analysis`, else `canaryAnalysis`, else an empty one).
    public var analysis: CanaryAnalysis { config.analysis }

    /// The `analysis.alerts` entries that receive an alert of `severity` (spec/flagger.md §1.3); `nil` when the
    /// canary has no alerts and Flagger's global notifier receives everything.
    public func alertRecipients(for severity: AlertSeverity) -> [String]? {
        config.recipients(for: severity)
    }
}
