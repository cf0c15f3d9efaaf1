import CanaryEngine
import ObjectModel
import Testing

/// Cases that start from a forced status (Flagger's unit tests do the same) or inspect actions:
/// spec/flagger.md §8 U4, U6, U8, U13–U15, N15 and the quirks that need it (Q3, Q9, Q10, Q13).
struct EngineStateTests {
    typealias F = EngineFixtures

    static func engine(_ analysis: String, spec: String = "") throws -> CanaryEngine {
        CanaryEngine(canary: try F.canary(F.canaryYAML(analysis: analysis, spec: spec)))
    }

    /// Runs ticks from `state`, one `FixedTickInputs` per tick.
    static func run(_ engine: CanaryEngine, from state: CanaryState, _ ticks: [FixedTickInputs]) async -> [TickOutcome]
    {
        var state = state
        var outcomes: [TickOutcome] = []
        for var inputs in ticks {
            let outcome = await engine.advance(state, inputs: &inputs)
            state = outcome.state
            outcomes.append(outcome)
        }
        return outcomes
    }

    /// A state in `phase` at revision v2 with v1 promoted and the router at `weight`.
    static func running(_ phase: CanaryPhase, weight: Int, failedChecks: Int = 0, iterations: Int = 0) -> CanaryState {
        CanaryState(
            phase: phase,
            canaryWeight: weight,
            failedChecks: failedChecks,
            iterations: iterations,
            lastAppliedSpec: "v2",
            lastPromotedSpec: "v1",
            routes: NginxRoutes(exists: true, canaryWeight: weight)
        )
    }

    static let v2 = FixedTickInputs(revision: "v2")

    @Test func u4ThresholdReachedRollsBackBeforeAnyMetric() async throws {
        let engine = try Self.engine(F.weights(threshold: 10, step: 10, max: 50))
        var inputs = FixedTickInputs(revision: "v2", metrics: ["request-success-rate": .value(0)])
        let outcome = await engine.advance(Self.running(.progressing, weight: 10, failedChecks: 10), inputs: &inputs)
        #expect(outcome.state.phase == .failed)
        #expect(outcome.state.failedChecks == 0)
        #expect(engine.routerWeight(of: outcome.state) == 0)
        #expect(outcome.actions.contains(.scaleToZero))
        #expect(!outcome.actions.contains { if case .queryMetric = $0 { true } else { false } })
        #expect(outcome.events.first == "Rolling back podinfo.test failed checks threshold reached 10")
        #expect(outcome.alerts.map(\.severity) == [.error])
        #expect(outcome.alerts.first?.message == "Failed checks threshold reached 10")
    }

    @Test func u6ConfigChangeRestartsAndWeightIsReadFromTheRouter() async throws {
        let engine = try Self.engine(F.weights(threshold: 10, step: 10, max: 50))
        var state = Self.running(.progressing, weight: 10)
        state.trackedConfigs = "cfg1"
        var changed = FixedTickInputs(revision: "v2", trackedConfigs: "cfg2")
        let restart = await engine.advance(state, inputs: &changed)
        #expect(restart.events == ["New revision detected! Restarting analysis for podinfo.test"])
        #expect(engine.routerWeight(of: restart.state) == 0)
        // The test then sets the routes to 60/40 by hand; the next step starts from the router's 40, not status.
        var forced = restart.state
        forced.routes = NginxRoutes(exists: true, canaryWeight: 40)
        var same = FixedTickInputs(revision: "v2", trackedConfigs: "cfg2")
        let next = await engine.advance(forced, inputs: &same)
        #expect(next.state.phase == .progressing)
        #expect(next.state.canaryWeight == 50)
        #expect(engine.routerWeight(of: next.state) == 50)
        var again = FixedTickInputs(revision: "v2", trackedConfigs: "cfg2")
        #expect(await engine.advance(next.state, inputs: &again).state.phase == .promoting)
    }

    @Test func u8ABTestingPromotesWhenIterationsAreReached() async throws {
        let engine = try Self.engine(
            """
            interval: 1m
            threshold: 10
            iterations: 10
            match:
              - headers:
                  x-user-type:
                    exact: test
            """
        )
        var state = Self.running(.progressing, weight: 0)
        var inputs = Self.v2
        let first = await engine.advance(state, inputs: &inputs)
        state = first.state
        // The weight-0 tick runs only pre-rollout hooks, then routes the header traffic to the canary.
        #expect(
            first.events == ["Starting canary analysis for podinfo.test", "Advance podinfo.test canary iteration 1/10"]
        )
        #expect(!first.actions.contains { if case .queryMetric = $0 { true } else { false } })
        #expect(state.iterations == 1)
        #expect(state.canaryWeight == 0)
        #expect(engine.routerWeight(of: state) == 100)
        #expect(NginxRouter.getRoutes(state.routes, match: engine.analysis.match ?? []) == (0, 100))
        state.iterations = 10
        let promote = await engine.advance(state, inputs: &inputs)
        #expect(promote.state.phase == .promoting)
        #expect(promote.actions.contains(.promote))
        let finalise = await engine.advance(promote.state, inputs: &inputs)
        #expect(finalise.state.phase == .finalising)
        #expect(finalise.state.routes.byHeader == nil)
        #expect(await engine.advance(finalise.state, inputs: &inputs).state.phase == .succeeded)
    }

    @Test(arguments: [CanaryPhase.promoting, .finalising])
    func u13U14PrimaryFailingDuringPromotionSendsTrafficToTheCanary(_ phase: CanaryPhase) async throws {
        let engine = try Self.engine(F.weights(threshold: 10, step: 10, max: 50))
        var inputs = FixedTickInputs(revision: "v2", primaryReadiness: .progressDeadlineExceeded)
        let outcome = await engine.advance(Self.running(phase, weight: phase == .promoting ? 50 : 0), inputs: &inputs)
        #expect(outcome.state.phase == .failed)
        #expect(outcome.state.canaryWeight == 100)
        #expect(engine.routerWeight(of: outcome.state) == 100)
        #expect(!outcome.actions.contains(.scaleToZero), "the canary keeps running")
        let error = "podinfo-primary.test not ready: deployment \"podinfo-primary\" exceeded its progress deadline"
        #expect(outcome.events == [error, "Promotion of podinfo.test failed, primary not ready: \(error)"])
        #expect(outcome.alerts.map(\.severity) == [.error])
    }

    @Test func u13PrimaryFailingWhileProgressingRollsBack() async throws {
        let engine = try Self.engine(F.weights(threshold: 10, step: 10, max: 50))
        var inputs = FixedTickInputs(revision: "v2", primaryReadiness: .progressDeadlineExceeded)
        let outcome = await engine.advance(Self.running(.progressing, weight: 20), inputs: &inputs)
        #expect(outcome.state.phase == .failed)
        #expect(engine.routerWeight(of: outcome.state) == 0)
        #expect(outcome.alerts.isEmpty, "deadline rollbacks below the threshold send no alert (#1663)")
    }

    @Test func u15TargetIsScaledDownAtInitAndUpOnDetection() async throws {
        let engine = try Self.engine(F.weights(threshold: 5, step: 20, max: 40))
        var v1 = FixedTickInputs(revision: "v1")
        let initialized = await engine.advance(CanaryState(), inputs: &v1)
        #expect(initialized.state.phase == .initialized)
        #expect(initialized.actions.contains(.scaleToZero))
        #expect(initialized.actions.contains(.reconcileRouter))
        #expect(initialized.state.lastPromotedSpec == "v1")
        #expect(initialized.alerts.first?.message == "New Deployment detected, initialization completed.")
        #expect(
            initialized.alerts.first?.fields.map(\.value) == [
                "Deployment/podinfo.test", "5", "60s", "Weight step: 20 max: 40",
            ]
        )
        var v2 = Self.v2
        let detected = await engine.advance(initialized.state, inputs: &v2)
        #expect(detected.actions.contains(.scaleFromZero))
        #expect(!detected.actions.contains(.scaleToZero))
        #expect(detected.state.lastAppliedSpec == "v2")
    }

    @Test func initializationWaitsForThePrimary() async throws {
        let engine = try Self.engine(F.weights(threshold: 5, step: 20, max: 40))
        var waiting = FixedTickInputs(revision: "v1", primaryReadiness: .rollingOut)
        let first = await engine.advance(CanaryState(), inputs: &waiting)
        #expect(first.state.phase == .initializing)
        #expect(first.events.last?.hasPrefix("podinfo-primary.test not ready: waiting for rollout to finish") == true)
        var stuck = FixedTickInputs(revision: "v1", primaryReadiness: .progressDeadlineExceeded)
        #expect(await engine.advance(first.state, inputs: &stuck).state.phase == .failed)
    }

    @Test func n15SuspendFreezesEverything() async throws {
        let engine = try Self.engine(F.weights(threshold: 5, step: 20, max: 40), spec: "  suspend: true")
        let state = Self.running(.progressing, weight: 20, failedChecks: 2)
        var inputs = FixedTickInputs(revision: "v3", metrics: ["request-success-rate": .value(0)])
        let outcome = await engine.advance(state, inputs: &inputs)
        #expect(outcome.state == state)
        #expect(outcome.actions == [.event(CanaryEvent(.normal, "skipping canary run as object is suspended"))])
    }

    @Test func q3ABWaitingPromotionAlternatesIterations() async throws {
        let engine = try Self.engine(
            """
            interval: 1m
            threshold: 10
            iterations: 2
            match:
              - headers:
                  x-user:
                    exact: insider
            webhooks:
              - name: gate
                type: confirm-promotion
                url: http://flagger-loadtester.test/gate/check
            """
        )
        var state = Self.running(.progressing, weight: 0, iterations: 2)
        state.routes = NginxRouter.setRoutes(state.routes, canaryWeight: 100, match: engine.analysis.match ?? [])
        var closed = FixedTickInputs(revision: "v2", webhooks: ["gate": .failure("Forbidden")])
        var iterations: [Int] = []
        var gateCalls: [Int] = []
        for _ in 0..<4 {
            let outcome = await engine.advance(state, inputs: &closed)
            state = outcome.state
            iterations.append(state.iterations)
            gateCalls.append(
                outcome.actions.filter {
                    $0 == .callWebhook(name: "gate", type: .confirmPromotion, phase: .progressing)
                }.count
            )
        }
        #expect(state.phase == .waitingPromotion)
        #expect(iterations == [1, 2, 1, 2])
        #expect(gateCalls == [1, 0, 1, 0], "the gate is asked every other tick")
        #expect(state.canaryWeight == 0)
    }

    @Test func q9PromotingWithStepWeightPromotionAndNoCanaryTrafficNeverFinishes() async throws {
        let engine = try Self.engine(F.weights(threshold: 5, step: 20, max: 40, extra: "stepWeightPromotion: 20"))
        var state = Self.running(.promoting, weight: 0)
        var inputs = Self.v2
        for _ in 0..<3 {
            let outcome = await engine.advance(state, inputs: &inputs)
            #expect(outcome.events.isEmpty)
            state = outcome.state
        }
        #expect(state.phase == .promoting)
    }

    @Test func q10FailedAbsorbsARevisionWhoseDetectionTickAborts() async throws {
        let engine = try Self.engine(F.weights(threshold: 5, step: 20, max: 40))
        let failed = Self.running(.failed, weight: 0)
        var notReady = FixedTickInputs(revision: "v3", primaryReadiness: .rollingOut)
        let absorbed = await engine.advance(failed, inputs: &notReady)
        #expect(absorbed.state.phase == .failed)
        #expect(absorbed.state.lastAppliedSpec == "v3")
        var ready = FixedTickInputs(revision: "v3")
        let later = await engine.advance(absorbed.state, inputs: &ready)
        #expect(later.state.phase == .failed, "v3 is never analysed")
        #expect(later.events.isEmpty)
    }

    @Test func q13OpenRollbackGateFailsTheFirstProgressingTick() async throws {
        let engine = try Self.engine(
            F.weights(
                threshold: 5,
                step: 20,
                max: 40,
                extra:
                    "webhooks:\n  - name: rb\n    type: rollback\n    url: http://flagger-loadtester.test/rollback/check"
            )
        )
        var open = FixedTickInputs(revision: "v2", webhooks: ["rb": .success(status: 200)])
        let initialized = Self.running(.initialized, weight: 0)
        var state = initialized
        state.lastAppliedSpec = "v1"
        let detected = await engine.advance(state, inputs: &open)
        #expect(detected.state.phase == .progressing, "the detection tick does not ask rollback hooks")
        let next = await engine.advance(detected.state, inputs: &open)
        #expect(next.state.phase == .failed)
        #expect(next.alerts.first?.message == "Rolling back manual webhook invoked")
    }

    @Test func q5WithoutAnyStepTheCanaryStaysAtZero() async throws {
        var canary = try F.canary(F.canaryYAML(analysis: F.weights(threshold: 5, step: 20, max: 40)))
        canary.spec.analysis?.stepWeight = nil
        let engine = CanaryEngine(canary: canary)
        var inputs = Self.v2
        var state = Self.running(.progressing, weight: 0)
        for _ in 0..<3 {
            let outcome = await engine.advance(state, inputs: &inputs)
            #expect(outcome.events == ["Starting canary analysis for podinfo.test"])
            state = outcome.state
        }
        #expect(state.phase == .progressing)
        #expect(engine.routerWeight(of: state) == 0)
    }

    @Test func q6TrafficIncreaseGateIsAskedEvenAtMaxWeight() async throws {
        let engine = try Self.engine(
            F.weights(
                threshold: 5,
                step: 20,
                max: 40,
                extra:
                    "webhooks:\n  - name: more\n    type: confirm-traffic-increase\n    url: http://flagger-loadtester.test/gate/check"
            )
        )
        var closed = FixedTickInputs(revision: "v2", webhooks: ["more": .failure("Forbidden")])
        let outcome = await engine.advance(Self.running(.progressing, weight: 40), inputs: &closed)
        #expect(outcome.state.phase == .progressing, "promotion waits for one more traffic-increase approval")
        #expect(outcome.state.failedChecks == 0)
        #expect(outcome.events == ["Halt podinfo.test advancement waiting for traffic increase approval more"])
        #expect(outcome.alerts.first?.message == "Canary traffic increase is waiting for approval.")
    }

    @Test func q2Q4WaitingPromotionReportsWeightZeroAndFailedZeroesFailedChecks() async throws {
        let records = try await F.replay(
            F.canaryYAML(
                analysis: F.weights(
                    threshold: 2,
                    step: 20,
                    max: 20,
                    extra:
                        "webhooks:\n  - name: gate\n    type: confirm-promotion\n    url: http://flagger-loadtester.test/gate/check"
                )
            ),
            "  - {}\n  - revision: v2\n  - {}\n  - webhooks: {gate: 403}\n"
                + "  - {webhooks: {gate: 403}, metrics: {request-success-rate: 0}}\n"
                + "  - {webhooks: {gate: 403}, metrics: {request-success-rate: 0}}\n  - {}\n"
        )
        #expect(
            F.rows(records).suffix(4) == [
                "WaitingPromotion 0 20 0 -1", "WaitingPromotion 0 20 1 -1", "WaitingPromotion 0 20 2 -1",
                "Failed 0 0 0 0",
            ]
        )
    }
}

/// spec/flagger.md §2.7: `isDeploymentReady` over a Deployment's status.
struct DeploymentSnapshotTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var snapshot: DeploymentSnapshot
        var expected: DeploymentReadiness
    }

    static let cases: [Case] = [
        Case(
            testDescription: "ready",
            snapshot: DeploymentSnapshot(name: "podinfo", replicas: 1, updatedReplicas: 1, availableReplicas: 1),
            expected: .ready
        ),
        Case(
            testDescription: "generation not observed",
            snapshot: DeploymentSnapshot(
                name: "podinfo",
                generation: 2,
                observedGeneration: 1,
                replicas: 1,
                updatedReplicas: 1,
                availableReplicas: 1
            ),
            expected: .notReady(
                "waiting for rollout to finish: observed deployment generation less than desired generation"
            )
        ),
        Case(
            testDescription: "replicas not yet updated",
            snapshot: DeploymentSnapshot(
                name: "podinfo",
                specReplicas: 2,
                replicas: 2,
                updatedReplicas: 1,
                availableReplicas: 1
            ),
            expected: .notReady("waiting for rollout to finish: 1 out of 2 new replicas have been updated")
        ),
        Case(
            testDescription: "old replicas terminating",
            snapshot: DeploymentSnapshot(name: "podinfo", replicas: 2, updatedReplicas: 1, availableReplicas: 1),
            expected: .notReady("waiting for rollout to finish: 1 old replicas are pending termination")
        ),
        Case(
            testDescription: "not available within the deadline",
            snapshot: DeploymentSnapshot(
                name: "podinfo",
                replicas: 1,
                updatedReplicas: 1,
                availableReplicas: 0,
                minimumReplicasUnavailableSince: 50
            ),
            expected: .rollingOut
        ),
        Case(
            testDescription: "not available past the deadline",
            snapshot: DeploymentSnapshot(
                name: "podinfo",
                replicas: 1,
                updatedReplicas: 1,
                availableReplicas: 0,
                minimumReplicasUnavailableSince: 39
            ),
            expected: .stalled(
                "waiting for rollout to finish: 0 of 1 (readyThreshold 100%) updated replicas are available"
            )
        ),
        Case(
            testDescription: "ProgressDeadlineExceeded",
            snapshot: DeploymentSnapshot(
                name: "podinfo",
                replicas: 1,
                updatedReplicas: 1,
                availableReplicas: 0,
                progressingReason: "ProgressDeadlineExceeded"
            ),
            expected: .progressDeadlineExceeded
        ),
    ]

    @Test(arguments: cases)
    func readinessLikeIsDeploymentReady(_ testCase: Case) async {
        #expect(
            testCase.snapshot.readiness(progressDeadlineSeconds: 60, readyThreshold: 100, now: 100) == testCase.expected
        )
    }
}
