import ObjectModel

/// How the weight or the iterations move once a tick's checks passed (scheduler.go:508-750, spec/flagger.md §2.4).
extension Tick {
    /// `runCanary`: step the weight up (not capped at maxWeight, Q1); at or above maxWeight, promote behind the
    /// confirm-promotion gate.
    mutating func runCanary<Inputs: TickInputs>(canaryWeight: Int, primaryWeight: Int, _ inputs: inout Inputs) async {
        let e = engine
        if canaryWeight < e.maxWeight {
            let step = e.analysis.nextStepWeight(from: canaryWeight)
            var primary = primaryWeight
            var canary = canaryWeight
            if e.mirror && canaryWeight == 0 {
                // The mirror step: NGINX never reports mirroring, so this repeats forever (Q7).
                primary = 100
                canary = 0
                note("mirror step: NGINX cannot mirror, the weight stays 0 (spec/flagger.md Q7)")
            } else {
                primary = Swift.max(primary - step, 0)
                canary = Swift.min(canary + step, 100)
                note("checks passed: weight \(canaryWeight) → \(canary) (step \(step), max \(e.maxWeight))")
            }
            setRoutes(primary: primary, canary: canary)
            status.canaryWeight = canary
            await event(.normal, "Advance \(e.canaryID) canary weight \(canary)", &inputs)
            return
        }
        guard await runConfirmPromotionHooks(&inputs) else { return }
        await promote(&inputs)
        note("weight \(canaryWeight) ≥ max \(e.maxWeight) and checks passed: promoting")
    }

    /// `runAB`: each passing tick routes header/cookie traffic to the canary and counts an iteration.
    mutating func runAB<Inputs: TickInputs>(_ inputs: inout Inputs) async {
        let e = engine
        if e.iterations > view.iterations {
            setRoutes(primary: 0, canary: 100)
            status.iterations = view.iterations + 1
            await event(
                .normal,
                "Advance \(e.canaryID) canary iteration \(view.iterations + 1)/\(e.iterations)",
                &inputs
            )
            note("A/B: iteration \(view.iterations + 1) of \(e.iterations)")
            return
        }
        guard await runConfirmPromotionHooks(&inputs) else { return }
        if e.iterations == view.iterations {
            await promote(&inputs)
            note("A/B: all \(e.iterations) iterations passed: promoting")
        }
    }

    /// `runBlueGreen`: iterations without traffic, one extra tick that routes everything to the canary, then promote.
    mutating func runBlueGreen<Inputs: TickInputs>(_ inputs: inout Inputs) async {
        let e = engine
        if e.iterations > view.iterations {
            if !e.isKubernetesProvider && e.mirror {
                setRoutes(primary: 100, canary: 0)
            }
            status.iterations = view.iterations + 1
            await event(
                .normal,
                "Advance \(e.canaryID) canary iteration \(view.iterations + 1)/\(e.iterations)",
                &inputs
            )
            note("Blue/Green: iteration \(view.iterations + 1) of \(e.iterations)")
            return
        }
        guard await runConfirmPromotionHooks(&inputs) else { return }
        if e.iterations == view.iterations {
            if !e.isKubernetesProvider {
                let message =
                    e.mirror
                    ? "Stop traffic mirroring and route all traffic to canary" : "Routing all traffic to canary"
                await event(.normal, message, &inputs)
                setRoutes(primary: 0, canary: 100)
            }
            status.iterations = view.iterations + 1
            note("Blue/Green: iterations done, all traffic to the canary")
            return
        }
        if e.iterations < view.iterations {
            await promote(&inputs)
            note("Blue/Green: promoting")
        }
    }

    /// `runPromotionTrafficShift`: all traffic back to the primary at once, or by `stepWeightPromotion` per tick;
    /// with a step and a router weight of 0 nothing happens (Q9).
    mutating func runPromotionTrafficShift<Inputs: TickInputs>(
        canaryWeight: Int,
        primaryWeight: Int,
        _ inputs: inout Inputs
    ) async {
        let e = engine
        if e.isKubernetesProvider {
            setStatusPhase(.finalising)
            return
        }
        if e.stepWeightPromotion == 0 {
            await event(.normal, "Routing all traffic to primary", &inputs)
            setRoutes(primary: 100, canary: 0)
            setStatusPhase(.finalising)
            note("primary promoted: all traffic back to the primary")
            return
        }
        guard canaryWeight > 0 else {
            note("Promoting with stepWeightPromotion and router weight 0: nothing to shift (spec/flagger.md Q9)")
            return
        }
        let primary = Swift.min(primaryWeight + e.stepWeightPromotion, 100)
        let canary = Swift.max(canaryWeight - e.stepWeightPromotion, 0)
        setRoutes(primary: primary, canary: canary)
        await event(.normal, "Advance \(e.canaryID) primary weight \(primary)", &inputs)
        if primary == 100 {
            setStatusPhase(.finalising)
        } else {
            status.canaryWeight = canary
        }
        note("promotion step: primary weight \(primary)")
    }

    /// Copy the template to the primary and enter Promoting (the weight is kept, PR #1851).
    private mutating func promote<Inputs: TickInputs>(_ inputs: inout Inputs) async {
        let e = engine
        await event(.normal, "Copying \(e.targetID) template spec to \(e.primaryName).\(e.namespace)", &inputs)
        actions.append(.promote)
        setStatusPhase(.promoting)
    }
}
