import ObjectModel

/// The webhook gates of scheduler_hooks.go (spec/flagger.md §2.4, §4.1).
extension Tick {
    /// Calls one hook through the inputs and records the call.
    mutating func call<Inputs: TickInputs>(
        _ hook: CanaryWebhook,
        _ type: CanaryWebhookType,
        phase: CanaryPhase,
        _ inputs: inout Inputs
    ) async -> WebhookResult {
        actions.append(.callWebhook(name: hook.name, type: type, phase: phase))
        let result = await inputs.callWebhook(hook, type: type, phase: phase)
        note("webhook \(hook.name) (\(type.rawValue)): \(result.succeeded ? "ok" : "failed")")
        return result
    }

    /// `runConfirmRolloutHooks`: a closed gate moves the canary to Waiting (once) and stops the tick.
    mutating func runConfirmRolloutHooks<Inputs: TickInputs>(_ inputs: inout Inputs) async -> Bool {
        let type = CanaryWebhookType.confirmRollout
        for hook in engine.hooks(type) {
            let result = await call(hook, type, phase: view.phase, &inputs)
            guard result.succeeded else {
                if view.phase != .waiting {
                    setStatusPhase(.waiting)
                    await event(
                        .warning,
                        "Halt \(engine.canaryID) advancement waiting for approval \(hook.name)",
                        &inputs
                    )
                    if hook.muteAlert != true { alert(.warn, "Canary is waiting for approval.") }
                }
                return false
            }
            await event(.normal, "Confirm-rollout check \(hook.name) passed", &inputs)
        }
        return true
    }

    /// `runConfirmPromotionHooks`: a closed gate moves the canary to WaitingPromotion, where the analysis keeps
    /// running; while waiting, each refusal resets iterations to `analysis.iterations - 1` (Q3).
    mutating func runConfirmPromotionHooks<Inputs: TickInputs>(_ inputs: inout Inputs) async -> Bool {
        let type = CanaryWebhookType.confirmPromotion
        for hook in engine.hooks(type) {
            let result = await call(hook, type, phase: .progressing, &inputs)
            guard result.succeeded else {
                if view.phase != .waitingPromotion {
                    setStatusPhase(.waitingPromotion)
                    await event(
                        .warning,
                        "Halt \(engine.canaryID) advancement waiting for promotion approval \(hook.name)",
                        &inputs
                    )
                    if hook.muteAlert != true { alert(.warn, "Canary promotion is waiting for approval.") }
                } else {
                    status.iterations = (engine.analysis.iterations ?? 0) - 1
                }
                note("promotion waits for the confirm-promotion gate '\(hook.name)'")
                return false
            }
            await event(.normal, "Confirm-promotion check \(hook.name) passed", &inputs)
        }
        return true
    }

    /// `runConfirmTrafficIncreaseHooks`: a closed gate holds the weight; it does not count as a failed check.
    mutating func runConfirmTrafficIncreaseHooks<Inputs: TickInputs>(_ inputs: inout Inputs) async -> Bool {
        let type = CanaryWebhookType.confirmTrafficIncrease
        for hook in engine.hooks(type) {
            let result = await call(hook, type, phase: .progressing, &inputs)
            guard result.succeeded else {
                await event(
                    .warning,
                    "Halt \(engine.canaryID) advancement waiting for traffic increase approval \(hook.name)",
                    &inputs
                )
                if hook.muteAlert != true { alert(.warn, "Canary traffic increase is waiting for approval.") }
                note("weight held by the confirm-traffic-increase gate '\(hook.name)'")
                return false
            }
            await event(.normal, "Confirm-traffic-increase check \(hook.name) passed", &inputs)
        }
        return true
    }

    /// `runPreRolloutHooks`: the first failure stops the tick (the caller counts a failed check).
    mutating func runPreRolloutHooks<Inputs: TickInputs>(_ inputs: inout Inputs) async -> Bool {
        let type = CanaryWebhookType.preRollout
        for hook in engine.hooks(type) {
            let result = await call(hook, type, phase: .progressing, &inputs)
            if case .failure(let error) = result {
                await event(
                    .warning,
                    "Halt \(engine.canaryID) advancement pre-rollout check \(hook.name) failed \(error)",
                    &inputs
                )
                return false
            }
            await event(.normal, "Pre-rollout check \(hook.name) passed", &inputs)
        }
        return true
    }

    /// `runPostRolloutHooks`: failures are only reported.
    mutating func runPostRolloutHooks<Inputs: TickInputs>(phase: CanaryPhase, _ inputs: inout Inputs) async {
        let type = CanaryWebhookType.postRollout
        for hook in engine.hooks(type) {
            let result = await call(hook, type, phase: phase, &inputs)
            if case .failure(let error) = result {
                await event(.warning, "Post-rollout hook \(hook.name) failed \(error)", &inputs)
                return
            }
            await event(.normal, "Post-rollout check \(hook.name) passed", &inputs)
        }
    }

    /// `runRollbackHooks`: true as soon as one rollback hook answers with success (≤ 202).
    mutating func runRollbackHooks<Inputs: TickInputs>(_ inputs: inout Inputs) async -> Bool {
        let type = CanaryWebhookType.rollback
        for hook in engine.hooks(type) {
            let result = await call(hook, type, phase: view.phase, &inputs)
            if result.succeeded {
                await event(.warning, "Rollback check \(hook.name) passed", &inputs)
                return true
            }
            await event(.normal, "Rollback hook \(hook.name) not signaling a rollback", &inputs)
        }
        return false
    }

    /// `runAnalysis` (scheduler.go:752-776): rollout hooks, then builtin and inline metrics, then template metrics;
    /// the first failure stops it.
    mutating func runAnalysis<Inputs: TickInputs>(_ inputs: inout Inputs) async -> Bool {
        let type = CanaryWebhookType.rollout
        for hook in engine.hooks(type) {
            let result = await call(hook, type, phase: .progressing, &inputs)
            if case .failure(let error) = result {
                await event(
                    .warning,
                    "Halt \(engine.canaryID) advancement external check \(hook.name) failed \(error)",
                    &inputs
                )
                return false
            }
        }
        guard await runBuiltinMetricChecks(&inputs) else { return false }
        return await runMetricChecks(&inputs)
    }
}
