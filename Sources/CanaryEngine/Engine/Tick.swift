import ObjectModel

/// One `advanceCanary` call in progress (scheduler.go:158-506, spec/flagger.md §2.3).
///
/// `begin` is the Canary status as Flagger read it when the tick started (`cd.Status`): every decision reads it.
/// `status` is what has been written so far; writes compose the way Flagger's conflict-retrying status updates do.
/// `view` is `begin` plus the few in-memory changes Flagger makes during a tick (after initialization).
struct Tick {
    let engine: EngineConfiguration
    let begin: CanaryState
    var view: CanaryState
    var status: CanaryState
    var actions: [CanaryAction] = []
    /// Collects `--explain` notes; `nil` when not explaining, so notes cost nothing then.
    let noteBook: NoteBook?
    let explain: Bool

    init(engine: EngineConfiguration, begin: CanaryState, explain: Bool) {
        self.engine = engine
        self.begin = begin
        self.view = begin
        self.status = begin
        self.explain = explain
        self.noteBook = explain ? NoteBook() : nil
        actions.reserveCapacity(8)
    }

    mutating func run<Inputs: TickInputs>(_ inputs: inout Inputs) async {
        let e = engine
        if e.suspended {
            await event(.normal, "skipping canary run as object is suspended", &inputs)
            note("suspended: nothing changes")
            return
        }
        let initializing = view.phase == .initializing
        if !e.skipAnalysis && initializing {
            await event(.normal, "all the metrics providers are available!", &inputs)
        }
        // ctrl.Initialize: creates the primary; while initializing it must become ready first.
        if initializing {
            actions.append(.initializePrimary)
            if !e.skipAnalysis {
                switch await checkPrimary(inputs.primaryReadiness, &inputs) {
                case .ready: break
                case .wait:
                    note("initializing: waiting for the primary")
                    return
                case .failed:
                    note("initializing: the primary cannot become ready, rolling back")
                    await rollback(&inputs)
                    return
                }
            }
            actions.append(.scaleToZero)
        }
        if !status.routes.exists {
            status.routes = NginxRouter.reconcile(status.routes)
            actions.append(.reconcileRouter)
        }
        if initializing {
            syncStatus(.initialized, weight: 0, inputs)
            status.lastPromotedSpec = inputs.revision
            view.phase = .initialized
            view.lastAppliedSpec = inputs.revision
            view.trackedConfigs = inputs.trackedConfigs
            await event(.normal, "Initialization done! \(e.canaryID)", &inputs)
            alert(.info, "New \(e.targetKind) detected, initialization completed.", metadata: true)
            note("initialized at revision \(inputs.revision)")
        }

        guard shouldAdvance(inputs) else {
            note("phase \(view.phase.rawValue): no new revision")
            return
        }

        if !e.skipAnalysis {
            switch await checkPrimary(inputs.primaryReadiness, &inputs) {
            case .ready: break
            case .wait:
                note("waiting for the primary to be ready")
                return
            case .failed(let error):
                if view.phase == .promoting || view.phase == .finalising {
                    note("the primary failed during promotion: traffic goes to the canary")
                    await handleFailedPromotion(error, &inputs)
                } else {
                    note("the primary failed: rolling back")
                    await rollback(&inputs)
                }
                return
            }
        }

        let routes = NginxRouter.getRoutes(status.routes, match: e.match)

        guard await checkCanaryStatus(&inputs) else { return }

        if hasCanaryRevisionChanged(inputs) {
            setRoutes(primary: 100, canary: 0)
            syncStatus(.progressing, weight: 0, inputs)
            await event(.normal, "New revision detected! Restarting analysis for \(e.targetID)", &inputs)
            note("revision \(inputs.revision) arrived mid-analysis: restart at weight 0")
            return
        }

        switch await checkCanary(inputs.canaryReadiness, &inputs) {
        case .ready: break
        case .wait:
            note("waiting for the canary to be ready (failed checks unchanged)")
            return
        case .failed:
            note("the canary cannot become ready: rolling back")
            await rollback(&inputs)
            return
        }

        if e.skipAnalysis {
            await skipAnalysis(&inputs)
            return
        }

        if view.phase == .progressing || view.phase == .waiting || view.phase == .waitingPromotion {
            if await runRollbackHooks(&inputs) {
                await event(.warning, "Rolling back \(e.canaryID) manual webhook invoked", &inputs)
                alert(.warn, "Rolling back manual webhook invoked")
                note("a rollback webhook signalled a rollback")
                await rollback(&inputs)
                return
            }
        }

        if view.phase == .promoting {
            await runPromotionTrafficShift(canaryWeight: routes.canary, primaryWeight: routes.primary, &inputs)
            return
        }

        if view.phase == .finalising {
            actions.append(.scaleToZero)
            setStatusPhase(.succeeded)
            await runPostRolloutHooks(phase: .succeeded, &inputs)
            await event(.normal, "Promotion completed! Scaling down \(e.targetID)", &inputs)
            alert(.info, "Canary analysis completed successfully, promotion finished.")
            note("finalised: canary scaled to zero")
            return
        }

        if view.phase == .progressing || view.phase == .waitingPromotion, view.failedChecks >= e.threshold {
            note("failed checks \(view.failedChecks) ≥ threshold \(e.threshold): rolling back")
            await rollback(&inputs)
            return
        }

        // NGINX never reports mirrored routes, so `!(mirror && mirrored)` always holds (spec/flagger.md Q7).
        if routes.canary == 0 && view.iterations == 0 {
            await event(.normal, "Starting canary analysis for \(e.targetID)", &inputs)
            note("router weight 0: a new analysis starts with the pre-rollout hooks only")
            guard await runPreRolloutHooks(&inputs) else {
                status.failedChecks = view.failedChecks + 1
                note("pre-rollout check failed: failed checks \(status.failedChecks)/\(e.threshold)")
                return
            }
        } else {
            guard await runAnalysis(&inputs) else {
                status.failedChecks = view.failedChecks + 1
                note(
                    "analysis failed (\(lastEventMessage)): failed checks \(status.failedChecks)/\(e.threshold), "
                        + "weight stays \(routes.canary)"
                )
                return
            }
        }

        if e.isKubernetesProvider {
            if !(analysisMatchIsEmpty) {
                await event(.warning, "A/B testing is not supported when using the kubernetes provider", &inputs)
            }
            if (e.analysis.iterations ?? 0) < 1 {
                await event(
                    .warning,
                    "Progressive traffic is not supported when using the kubernetes provider",
                    &inputs
                )
                await event(.warning, "Setting canaryAnalysis.iterations: 10", &inputs)
            }
        }

        if !e.match.isEmpty && e.iterations > 0 {
            await runAB(&inputs)
            return
        }
        if e.iterations > 0 {
            await runBlueGreen(&inputs)
            return
        }
        let step = e.analysis.nextStepWeight(from: routes.canary)
        guard step > 0 else {
            note("no stepWeight or stepWeights: the weight never moves (spec/flagger.md Q5)")
            return
        }
        if view.phase != .promoting && view.phase != .waitingPromotion && view.phase != .finalising {
            guard await runConfirmTrafficIncreaseHooks(&inputs) else { return }
        }
        await runCanary(canaryWeight: routes.canary, primaryWeight: routes.primary, &inputs)
    }

    private var analysisMatchIsEmpty: Bool { engine.analysis.match?.isEmpty ?? true }

    // MARK: - Change detection

    /// `hasSpecChanged` (canary/spec.go:32-49) against the status Flagger holds in memory.
    func hasTargetChanged(_ inputs: some TickInputs) -> Bool {
        guard let applied = view.lastAppliedSpec else { return true }
        if view.lastPromotedSpec == inputs.revision { return false }
        return applied != inputs.revision
    }

    /// `HaveDependenciesChanged`: the tracked configs' checksum differs from the one last synced.
    func haveDependenciesChanged(_ inputs: some TickInputs) -> Bool {
        guard let configs = inputs.trackedConfigs else { return false }
        return configs != view.trackedConfigs
    }

    /// `shouldAdvance` (scheduler.go:852-884). In Failed it rewrites `lastAppliedSpec` first (Q10).
    mutating func shouldAdvance(_ inputs: some TickInputs) -> Bool {
        if view.phase.isAdvancing { return true }
        if view.phase == .failed {
            status.lastAppliedSpec = inputs.revision
            status.trackedConfigs = inputs.trackedConfigs
        }
        return hasTargetChanged(inputs) || haveDependenciesChanged(inputs)
    }

    /// `hasCanaryRevisionChanged`: a new revision while Progressing or WaitingPromotion restarts the analysis.
    func hasCanaryRevisionChanged(_ inputs: some TickInputs) -> Bool {
        guard view.phase == .progressing || view.phase == .waitingPromotion else { return false }
        return hasTargetChanged(inputs) || haveDependenciesChanged(inputs)
    }

    /// `checkCanaryStatus` (scheduler.go:886-933): running phases continue; otherwise a new run starts (behind the
    /// confirm-rollout gate) and the tick ends — the detection tick never analyses.
    mutating func checkCanaryStatus<Inputs: TickInputs>(_ inputs: inout Inputs) async -> Bool {
        if view.phase.isRunning { return true }
        guard await runConfirmRolloutHooks(&inputs) else {
            note("new revision \(inputs.revision) waits for the confirm-rollout gate")
            return false
        }
        await event(.normal, "New revision detected! Scaling up \(engine.targetID)", &inputs, phase: .progressing)
        alert(.info, "New revision detected, progressing canary analysis.", metadata: true)
        actions.append(.scaleFromZero)
        syncStatus(.progressing, weight: 0, inputs)
        note("new revision \(inputs.revision): canary scaled up, analysis starts next tick")
        return false
    }

    // MARK: - Readiness

    enum Readiness {
        case ready
        case wait
        case failed(String)
    }

    /// `IsPrimaryReady`: the wait or failure is recorded as a Warning event "<target>-primary.<ns> not ready: …".
    mutating func checkPrimary<Inputs: TickInputs>(_ readiness: DeploymentReadiness, _ inputs: inout Inputs) async
        -> Readiness
    {
        await readinessResult(
            readiness,
            deployment: engine.primaryName,
            prefix: "\(engine.primaryName).\(engine.namespace)",
            &inputs
        )
    }

    /// `IsCanaryReady`: events read "canary deployment <target>.<ns> not ready: …".
    mutating func checkCanary<Inputs: TickInputs>(_ readiness: DeploymentReadiness, _ inputs: inout Inputs) async
        -> Readiness
    {
        await readinessResult(
            readiness,
            deployment: engine.targetName,
            prefix: "canary deployment \(engine.targetID)",
            &inputs
        )
    }

    private mutating func readinessResult<Inputs: TickInputs>(
        _ readiness: DeploymentReadiness,
        deployment: String,
        prefix: String,
        _ inputs: inout Inputs
    ) async -> Readiness {
        switch readiness {
        case .ready:
            return .ready
        case .notReady(let reason):
            await event(.warning, "\(prefix) not ready: \(reason)", &inputs)
            return .wait
        case .progressDeadlineExceeded:
            let message = "\(prefix) not ready: deployment \"\(deployment)\" exceeded its progress deadline"
            await event(.warning, message, &inputs)
            return .failed(message)
        case .stalled(let reason):
            let message = "\(prefix) not ready: \(reason)"
            await event(.warning, message, &inputs)
            return .failed(message)
        }
    }

    // MARK: - Terminal transitions

    /// `await rollback()` (scheduler.go:948-998): traffic back to the primary, canary to zero, Failed with counters zeroed.
    mutating func rollback<Inputs: TickInputs>(_ inputs: inout Inputs) async {
        let e = engine
        if view.failedChecks >= e.threshold {
            await event(
                .warning,
                "Rolling back \(e.canaryID) failed checks threshold reached \(view.failedChecks)",
                &inputs
            )
            alert(.error, "Failed checks threshold reached \(view.failedChecks)")
        }
        setRoutes(primary: 100, canary: 0)
        await event(.warning, "Canary failed! Scaling down \(e.canaryID)", &inputs, phase: .failed)
        actions.append(.scaleToZero)
        syncStatus(.failed, weight: 0, inputs)
        await runPostRolloutHooks(phase: .failed, &inputs)
    }

    /// `await handleFailedPromotion()` (v1.44.0, PR #1931): the primary broke while promoting, so all traffic goes to the
    /// healthy canary, which is kept running.
    mutating func handleFailedPromotion<Inputs: TickInputs>(_ error: String, _ inputs: inout Inputs) async {
        await event(.warning, "Promotion of \(engine.targetID) failed, primary not ready: \(error)", &inputs)
        alert(.error, "Promotion failed, primary not ready: \(error)")
        setRoutes(primary: 0, canary: 100)
        syncStatus(.failed, weight: 100, inputs)
        await runPostRolloutHooks(phase: .failed, &inputs)
    }

    /// `shouldSkipAnalysis` (scheduler.go:778-850): promote at once, no Promoting/Finalising.
    mutating func skipAnalysis<Inputs: TickInputs>(_ inputs: inout Inputs) async {
        let e = engine
        setRoutes(primary: 100, canary: 0)
        await event(.normal, "Copying \(e.targetID) template spec to \(e.primaryName).\(e.namespace)", &inputs)
        actions.append(.promote)
        actions.append(.scaleToZero)
        setStatusPhase(.succeeded)
        await runPostRolloutHooks(phase: .succeeded, &inputs)
        await event(.normal, "Promotion completed! Canary analysis was skipped for \(e.targetID)", &inputs)
        alert(.info, "Canary analysis was skipped, promotion finished.")
        note("skipAnalysis: promoted without analysis")
    }

    // MARK: - Status writes (canary/status.go)

    /// `SyncStatus` with a fresh status: phase and weight as given, failedChecks and iterations zero, and the
    /// current revision recorded as `lastAppliedSpec`.
    mutating func syncStatus(_ phase: CanaryPhase, weight: Int, _ inputs: some TickInputs) {
        status.phase = phase
        status.canaryWeight = weight
        status.failedChecks = 0
        status.iterations = 0
        status.lastAppliedSpec = inputs.revision
        status.trackedConfigs = inputs.trackedConfigs
    }

    /// `SetStatusPhase` (status.go:146-186): leaving for anything but Progressing/Waiting/Promoting zeroes the weight
    /// and iterations (WaitingPromotion sets iterations to `analysis.iterations - 1`, Q3); Initialized and
    /// Succeeded record the promoted spec.
    mutating func setStatusPhase(_ phase: CanaryPhase) {
        status.phase = phase
        if phase != .progressing && phase != .waiting && phase != .promoting {
            status.canaryWeight = 0
            status.iterations = phase == .waitingPromotion ? (engine.analysis.iterations ?? 0) - 1 : 0
        }
        if phase == .initialized || phase == .succeeded {
            status.lastPromotedSpec = view.lastAppliedSpec
        }
    }

    mutating func setRoutes(primary: Int, canary: Int) {
        status.routes = NginxRouter.setRoutes(status.routes, canaryWeight: canary, match: engine.match)
        actions.append(.setRoutes(primary: primary, canary: canary))
    }

    // MARK: - Events and alerts

    /// `recordEventInfof`/`recordEventWarningf`, plus the `event` webhooks that receive every event.
    mutating func event<Inputs: TickInputs>(
        _ kind: CanaryEvent.Kind,
        _ message: String,
        _ inputs: inout Inputs,
        phase: CanaryPhase? = nil
    ) async {
        let recorded = CanaryEvent(kind, message)
        actions.append(.event(recorded))
        guard engine.hasEventHooks else { return }
        let payloadPhase = phase ?? view.phase
        for hook in engine.hooks(.event) {
            await inputs.callEventWebhook(hook, event: recorded, phase: payloadPhase)
            actions.append(.callWebhook(name: hook.name, type: .event, phase: payloadPhase))
        }
    }

    mutating func alert(_ severity: AlertSeverity, _ message: String, metadata: Bool = false) {
        let recipients = engine.recipients(for: severity)
        if let recipients, recipients.isEmpty { return }
        actions.append(
            .alert(
                CanaryAlertMessage(
                    severity: severity,
                    message: message,
                    fields: metadata ? engine.alertFields : [],
                    recipients: recipients
                )
            )
        )
    }

    /// The message of the last event recorded in this tick.
    var lastEventMessage: String {
        for action in actions.reversed() {
            if case .event(let event) = action { return event.message }
        }
        return ""
    }

    /// Records why something happened, for `--explain`.
    func note(_ text: @autoclosure () -> String) {
        noteBook?.notes.append(text())
    }

    var notes: [String] { noteBook?.notes ?? [] }
}

/// The notes of one explained tick (a reference, so `note` need not mutate the tick).
final class NoteBook {
    var notes: [String] = []
}
