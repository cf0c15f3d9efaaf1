import CanaryEngine
import ObjectModel
import Testing

/// spec/flagger.md §8: the N- and U-cases that fit the tick model, replayed through `AnalyzeReplay`.
/// Tick 0 is always the initialization of a new Canary; the spec's T0 (the revision change) is tick 1 here.
struct SpecCasesTests {
    typealias F = EngineFixtures

    static let promotionTail = ["Finalising 0 0 0 0", "Succeeded 0 0 0 0"]

    static let cases: [ReplayCase] = [
        ReplayCase(
            name: "N1 happy canary (e2e test-canary)",
            canary: F.canaryYAML(analysis: F.e2eAnalysis),
            ticks: "  - {}\n  - revision: v2\n  - {}\n  - {}\n  - {}\n  - {}\n  - {}\n",
            rows: [
                "Initialized 0 0 0 0", "Progressing 0 0 0 0", "Progressing 20 20 0 0", "Progressing 40 40 0 0",
                "Promoting 40 40 0 0",
            ] + promotionTail,
            events: [
                (0, "Initialization done! podinfo.test"), (1, "New revision detected! Scaling up podinfo.test"),
                (2, "Starting canary analysis for podinfo.test"), (2, "Advance podinfo.test canary weight 20"),
                (3, "Advance podinfo.test canary weight 40"),
                (4, "Copying podinfo.test template spec to podinfo-primary.test"),
                (5, "Routing all traffic to primary"), (6, "Promotion completed! Scaling down podinfo.test"),
            ]
        ),
        ReplayCase(
            name: "N1 with no data at the first metered tick",
            canary: F.canaryYAML(analysis: F.e2eAnalysis),
            ticks: "  - {}\n  - revision: v2\n  - {}\n  - metrics: {request-success-rate: null}\n"
                + "  - {}\n  - {}\n  - {}\n  - {}\n",
            rows: [
                "Initialized 0 0 0 0", "Progressing 0 0 0 0", "Progressing 20 20 0 0", "Progressing 20 20 1 0",
                "Progressing 40 40 1 0", "Promoting 40 40 1 0", "Finalising 0 0 1 0", "Succeeded 0 0 1 0",
            ],
            events: [
                (
                    3,
                    "Halt advancement no values found for nginx metric request-success-rate probably podinfo.test "
                        + "is not receiving traffic: running query failed: no values found"
                )
            ]
        ),
        ReplayCase(
            name: "N2 rollback after threshold failures",
            canary: F.canaryYAML(analysis: F.weights(threshold: 2, step: 20, max: 40)),
            ticks: "  - {}\n  - revision: v2\n  - {}\n"
                + String(repeating: "  - metrics: {request-success-rate: 0}\n", count: 3),
            rows: [
                "Initialized 0 0 0 0", "Progressing 0 0 0 0", "Progressing 20 20 0 0", "Progressing 20 20 1 0",
                "Progressing 20 20 2 0", "Failed 0 0 0 0",
            ],
            events: [
                (3, "Halt podinfo.test advancement success rate 0.00% < 1%"),
                (5, "Rolling back podinfo.test failed checks threshold reached 2"),
                (5, "Canary failed! Scaling down podinfo.test"),
            ],
            absentEvents: [(5, "Halt podinfo.test advancement success rate 0.00% < 1%")]
        ),
        ReplayCase(
            name: "N3 non-consecutive failures accumulate",
            canary: F.canaryYAML(analysis: F.weights(threshold: 2, step: 10, max: 50)),
            ticks: "  - {}\n  - revision: v2\n  - {}\n  - {}\n  - metrics: {request-success-rate: 0.5}\n  - {}\n"
                + "  - metrics: {request-success-rate: 0}\n  - {}\n",
            rows: [
                "Initialized 0 0 0 0", "Progressing 0 0 0 0", "Progressing 10 10 0 0", "Progressing 20 20 0 0",
                "Progressing 20 20 1 0", "Progressing 30 30 1 0", "Progressing 30 30 2 0", "Failed 0 0 0 0",
            ],
            events: [(4, "Halt podinfo.test advancement success rate 0.50% < 1%")]
        ),
        ReplayCase(
            name: "N4 pre-rollout hook failing",
            canary: F.canaryYAML(
                analysis: F.weights(
                    threshold: 2,
                    step: 20,
                    max: 40,
                    extra:
                        "webhooks:\n  - name: acceptance\n    type: pre-rollout\n    url: http://flagger-loadtester.test/"
                )
            ),
            ticks:
                "  - {}\n  - revision: v2\n  - webhooks: {acceptance: 500}\n  - webhooks: {acceptance: 500}\n  - {}\n",
            rows: [
                "Initialized 0 0 0 0", "Progressing 0 0 0 0", "Progressing 0 0 1 0", "Progressing 0 0 2 0",
                "Failed 0 0 0 0",
            ],
            events: [
                (2, "Starting canary analysis for podinfo.test"),
                (
                    2,
                    "Halt podinfo.test advancement pre-rollout check acceptance failed POST "
                        + "http://flagger-loadtester.test/ giving up after 1 attempt(s)"
                ),
            ]
        ),
        ReplayCase(
            name: "N4 pre-rollout hook passing on the second try",
            canary: F.canaryYAML(
                analysis: F.weights(
                    threshold: 2,
                    step: 20,
                    max: 40,
                    extra:
                        "webhooks:\n  - name: acceptance\n    type: pre-rollout\n    url: http://flagger-loadtester.test/"
                )
            ),
            ticks: "  - {}\n  - revision: v2\n  - webhooks: {acceptance: 403}\n  - {}\n",
            rows: ["Initialized 0 0 0 0", "Progressing 0 0 0 0", "Progressing 0 0 1 0", "Progressing 20 20 1 0"],
            events: [
                (2, "Halt podinfo.test advancement pre-rollout check acceptance failed Forbidden"),
                (3, "Pre-rollout check acceptance passed"),
            ]
        ),
        ReplayCase(
            name: "N5 confirm-rollout gate",
            canary: F.canaryYAML(
                analysis: F.weights(
                    threshold: 5,
                    step: 20,
                    max: 40,
                    extra:
                        "webhooks:\n  - name: gate\n    type: confirm-rollout\n    url: http://flagger-loadtester.test/gate/check"
                )
            ),
            ticks: "  - {}\n  - {revision: v2, webhooks: {gate: 403}}\n  - webhooks: {gate: 403}\n  - {}\n  - {}\n",
            rows: [
                "Initialized 0 0 0 0", "Waiting 0 0 0 0", "Waiting 0 0 0 0", "Progressing 0 0 0 0",
                "Progressing 20 20 0 0",
            ],
            events: [
                (1, "Halt podinfo.test advancement waiting for approval gate"),
                (3, "Confirm-rollout check gate passed"), (3, "New revision detected! Scaling up podinfo.test"),
                (4, "Starting canary analysis for podinfo.test"),
            ],
            absentEvents: [(2, "Halt podinfo.test advancement waiting for approval gate")]
        ),
        ReplayCase(
            name: "N6 confirm-promotion gate",
            canary: F.canaryYAML(
                analysis: F.weights(
                    threshold: 5,
                    step: 20,
                    max: 40,
                    extra:
                        "webhooks:\n  - name: gate\n    type: confirm-promotion\n    url: http://flagger-loadtester.test/gate/check"
                )
            ),
            ticks: "  - {}\n  - revision: v2\n  - {}\n  - {}\n  - webhooks: {gate: 403}\n  - webhooks: {gate: 403}\n"
                + "  - {webhooks: {gate: 403}, metrics: {request-success-rate: 0}}\n  - {}\n  - {}\n  - {}\n",
            rows: [
                "Initialized 0 0 0 0", "Progressing 0 0 0 0", "Progressing 20 20 0 0", "Progressing 40 40 0 0",
                "WaitingPromotion 0 40 0 -1", "WaitingPromotion 0 40 0 -1", "WaitingPromotion 0 40 1 -1",
                "Promoting 0 40 1 -1", "Finalising 0 0 1 0", "Succeeded 0 0 1 0",
            ],
            events: [
                (4, "Halt podinfo.test advancement waiting for promotion approval gate"),
                (7, "Confirm-promotion check gate passed"),
                (7, "Copying podinfo.test template spec to podinfo-primary.test"),
            ],
            absentEvents: [(5, "Halt podinfo.test advancement waiting for promotion approval gate")]
        ),
        ReplayCase(
            name: "N7 rollback gate opened while progressing",
            canary: F.canaryYAML(
                analysis: F.weights(
                    threshold: 5,
                    step: 20,
                    max: 40,
                    extra:
                        "webhooks:\n  - name: rollback\n    type: rollback\n    url: http://flagger-loadtester.test/rollback/check"
                )
            ),
            ticks: "  - {}\n  - revision: v2\n  - {}\n  - webhooks: {rollback: 200}\n",
            rows: ["Initialized 0 0 0 0", "Progressing 0 0 0 0", "Progressing 20 20 0 0", "Failed 0 0 0 0"],
            events: [
                (2, "Rollback hook rollback not signaling a rollback"), (3, "Rollback check rollback passed"),
                (3, "Rolling back podinfo.test manual webhook invoked"),
                (3, "Canary failed! Scaling down podinfo.test"),
            ]
        ),
        ReplayCase(
            name: "N8 new revision mid-analysis restarts",
            canary: F.canaryYAML(analysis: F.weights(threshold: 5, step: 10, max: 50)),
            ticks: "  - {}\n  - revision: v2\n  - {}\n  - {}\n  - revision: v3\n  - canaryReady: false\n  - {}\n",
            rows: [
                "Initialized 0 0 0 0", "Progressing 0 0 0 0", "Progressing 10 10 0 0", "Progressing 20 20 0 0",
                "Progressing 0 0 0 0", "Progressing 0 0 0 0", "Progressing 10 10 0 0",
            ],
            events: [
                (4, "New revision detected! Restarting analysis for podinfo.test"),
                (
                    5,
                    "canary deployment podinfo.test not ready: waiting for rollout to finish: 0 of 1 "
                        + "(readyThreshold 100%) updated replicas are available"
                ),
                (6, "Starting canary analysis for podinfo.test"),
            ]
        ),
        ReplayCase(
            name: "N9 stepWeightPromotion",
            canary: F.canaryYAML(
                analysis: F.weights(threshold: 5, step: 20, max: 40, extra: "stepWeightPromotion: 20")
            ),
            ticks: "  - {}\n  - revision: v2\n" + String(repeating: "  - {}\n", count: 6),
            rows: [
                "Initialized 0 0 0 0", "Progressing 0 0 0 0", "Progressing 20 20 0 0", "Progressing 40 40 0 0",
                "Promoting 40 40 0 0", "Promoting 20 20 0 0",
            ] + promotionTail,
            events: [(5, "Advance podinfo.test primary weight 80"), (6, "Advance podinfo.test primary weight 100")]
        ),
        ReplayCase(
            name: "N10 A/B testing with header routing",
            canary: F.canaryYAML(
                analysis: """
                    interval: 15s
                    threshold: 5
                    iterations: 3
                    match:
                      - headers:
                          x-user:
                            exact: insider
                    metrics:
                      - name: request-success-rate
                        thresholdRange: {min: 1}
                    """
            ),
            ticks: "  - {}\n  - revision: v2\n" + String(repeating: "  - {}\n", count: 6),
            rows: [
                "Initialized 0 0 0 0", "Progressing 0 0 0 0", "Progressing 0 100 0 1", "Progressing 0 100 0 2",
                "Progressing 0 100 0 3", "Promoting 0 100 0 3",
            ] + promotionTail,
            events: [
                (2, "Advance podinfo.test canary iteration 1/3"), (4, "Advance podinfo.test canary iteration 3/3"),
            ]
        ),
        ReplayCase(
            name: "N11 Blue/Green",
            canary: F.canaryYAML(analysis: "interval: 15s\nthreshold: 5\niterations: 2"),
            ticks: "  - {}\n  - revision: v2\n" + String(repeating: "  - {}\n", count: 6),
            rows: [
                "Initialized 0 0 0 0", "Progressing 0 0 0 0", "Progressing 0 0 0 1", "Progressing 0 0 0 2",
                "Progressing 0 100 0 3", "Promoting 0 100 0 3",
            ] + promotionTail,
            events: [(4, "Routing all traffic to canary")]
        ),
        ReplayCase(
            name: "N12 / U5 skipAnalysis",
            canary: F.canaryYAML(analysis: F.weights(threshold: 5, step: 20, max: 40), spec: "  skipAnalysis: true"),
            ticks: "  - {}\n  - revision: v2\n  - {}\n",
            rows: ["Initialized 0 0 0 0", "Progressing 0 0 0 0", "Succeeded 0 0 0 0"],
            events: [
                (2, "Copying podinfo.test template spec to podinfo-primary.test"),
                (2, "Promotion completed! Canary analysis was skipped for podinfo.test"),
            ],
            absentEvents: [(0, "all the metrics providers are available!")]
        ),
        ReplayCase(
            name: "N13 manual revert to the promoted spec stays Failed",
            canary: F.canaryYAML(analysis: F.weights(threshold: 1, step: 20, max: 40)),
            ticks: "  - {}\n  - revision: v2\n  - {}\n  - metrics: {request-success-rate: 0}\n  - {}\n"
                + "  - revision: v1\n  - {}\n  - revision: v2\n",
            rows: [
                "Initialized 0 0 0 0", "Progressing 0 0 0 0", "Progressing 20 20 0 0", "Progressing 20 20 1 0",
                "Failed 0 0 0 0", "Failed 0 0 0 0", "Failed 0 0 0 0", "Progressing 0 0 0 0",
            ],
            events: [(7, "New revision detected! Scaling up podinfo.test")]
        ),
        ReplayCase(
            name: "N14 progress deadline on the canary",
            canary: F.canaryYAML(analysis: F.weights(threshold: 5, step: 20, max: 40)),
            ticks:
                "  - {}\n  - revision: v2\n  - canaryReady: false\n  - canaryReady: false\n  - canaryDeadlineExceeded: true\n",
            rows: [
                "Initialized 0 0 0 0", "Progressing 0 0 0 0", "Progressing 0 0 0 0", "Progressing 0 0 0 0",
                "Failed 0 0 0 0",
            ],
            events: [
                (4, "canary deployment podinfo.test not ready: deployment \"podinfo\" exceeded its progress deadline"),
                (4, "Canary failed! Scaling down podinfo.test"),
            ]
        ),
        ReplayCase(
            name: "N16 / Q7 mirror on NGINX never progresses",
            canary: F.canaryYAML(analysis: F.weights(threshold: 5, step: 10, max: 50, extra: "mirror: true")),
            ticks: "  - {}\n  - revision: v2\n  - {}\n  - {}\n  - {}\n",
            rows: [
                "Initialized 0 0 0 0", "Progressing 0 0 0 0", "Progressing 0 0 0 0", "Progressing 0 0 0 0",
                "Progressing 0 0 0 0",
            ],
            events: [(4, "Starting canary analysis for podinfo.test"), (4, "Advance podinfo.test canary weight 0")]
        ),
        ReplayCase(
            name: "N17 / Q1 weight above maxWeight",
            canary: F.canaryYAML(analysis: F.weights(threshold: 5, step: 30, max: 50)),
            ticks: "  - {}\n  - revision: v2\n  - {}\n  - {}\n  - {}\n",
            rows: [
                "Initialized 0 0 0 0", "Progressing 0 0 0 0", "Progressing 30 30 0 0", "Progressing 60 60 0 0",
                "Promoting 60 60 0 0",
            ]
        ),
        ReplayCase(
            name: "N18 new revision while WaitingPromotion restarts",
            canary: F.canaryYAML(
                analysis: F.weights(
                    threshold: 5,
                    step: 20,
                    max: 40,
                    extra:
                        "webhooks:\n  - name: gate\n    type: confirm-promotion\n    url: http://flagger-loadtester.test/gate/check"
                )
            ),
            ticks: "  - {}\n  - revision: v2\n  - {}\n  - {}\n  - webhooks: {gate: 403}\n  - revision: v3\n",
            rows: [
                "Initialized 0 0 0 0", "Progressing 0 0 0 0", "Progressing 20 20 0 0", "Progressing 40 40 0 0",
                "WaitingPromotion 0 40 0 -1", "Progressing 0 0 0 0",
            ],
            events: [(5, "New revision detected! Restarting analysis for podinfo.test")]
        ),
        ReplayCase(
            name: "U1 analysis phases with stepWeightPromotion (threshold defaults to 1)",
            canary: F.canaryYAML(analysis: "interval: 1m\nthreshold: 0\nstepWeight: 100\nstepWeightPromotion: 50"),
            ticks: "  - {}\n  - revision: v2\n" + String(repeating: "  - {}\n", count: 5),
            rows: [
                "Initialized 0 0 0 0", "Progressing 0 0 0 0", "Progressing 100 100 0 0", "Promoting 100 100 0 0",
                "Promoting 50 50 0 0",
            ] + promotionTail
        ),
        ReplayCase(
            name: "U2 Blue/Green with one iteration",
            canary: F.canaryYAML(analysis: "interval: 1m\nthreshold: 1\niterations: 1"),
            ticks: "  - {}\n  - revision: v2\n" + String(repeating: "  - {}\n", count: 5),
            rows: [
                "Initialized 0 0 0 0", "Progressing 0 0 0 0", "Progressing 0 0 0 1", "Progressing 0 100 0 2",
                "Promoting 0 100 0 2",
            ] + promotionTail
        ),
        ReplayCase(
            name: "U3 new revision resets routes to 100/0",
            canary: F.canaryYAML(analysis: F.weights(threshold: 10, step: 10, max: 50)),
            ticks: "  - {}\n  - revision: v2\n  - {}\n  - revision: v3\n",
            rows: ["Initialized 0 0 0 0", "Progressing 0 0 0 0", "Progressing 10 10 0 0", "Progressing 0 0 0 0"]
        ),
        ReplayCase(
            name: "U9 Service target, step 20 max 50 overshoots to 60",
            canary: F.canaryYAML(analysis: F.weights(threshold: 10, step: 20, max: 50), targetKind: "Service"),
            ticks: "  - {}\n  - revision: v2\n" + String(repeating: "  - {}\n", count: 6),
            rows: [
                "Initialized 0 0 0 0", "Progressing 0 0 0 0", "Progressing 20 20 0 0", "Progressing 40 40 0 0",
                "Progressing 60 60 0 0", "Promoting 60 60 0 0",
            ] + promotionTail
        ),
        ReplayCase(
            name: "U10 Service target, step 50 max 100",
            canary: F.canaryYAML(analysis: F.weights(threshold: 10, step: 50, max: 100), targetKind: "Service"),
            ticks: "  - {}\n  - revision: v2\n" + String(repeating: "  - {}\n", count: 5),
            rows: [
                "Initialized 0 0 0 0", "Progressing 0 0 0 0", "Progressing 50 50 0 0", "Progressing 100 100 0 0",
                "Promoting 100 100 0 0",
            ] + promotionTail
        ),
        ReplayCase(
            name: "U11 stepWeights [1,2,10,80]",
            canary: F.canaryYAML(
                analysis: "interval: 1m\nthreshold: 10\nstepWeights: [1, 2, 10, 80]",
                targetKind: "Service"
            ),
            ticks: "  - {}\n  - revision: v2\n" + String(repeating: "  - {}\n", count: 7),
            rows: [
                "Initialized 0 0 0 0", "Progressing 0 0 0 0", "Progressing 1 1 0 0", "Progressing 2 2 0 0",
                "Progressing 10 10 0 0", "Progressing 80 80 0 0", "Promoting 80 80 0 0",
            ] + promotionTail
        ),
        ReplayCase(
            name: "U12 stepWeights overflow [1,2,10,200]",
            canary: F.canaryYAML(
                analysis: "interval: 1m\nthreshold: 10\nstepWeights: [1, 2, 10, 200]",
                targetKind: "Service"
            ),
            ticks: "  - {}\n  - revision: v2\n" + String(repeating: "  - {}\n", count: 7),
            rows: [
                "Initialized 0 0 0 0", "Progressing 0 0 0 0", "Progressing 1 1 0 0", "Progressing 2 2 0 0",
                "Progressing 10 10 0 0", "Progressing 100 100 0 0", "Promoting 100 100 0 0",
            ] + promotionTail
        ),
    ]

    @Test(arguments: cases)
    func replaysLikeFlagger(_ testCase: ReplayCase) async throws {
        let records = try await F.replay(testCase.canary, testCase.ticks)
        #expect(F.rows(records) == testCase.rows)
        for (tick, text) in testCase.events {
            let events = records.indices.contains(tick) ? records[tick].events : []
            #expect(events.contains(text), "tick \(tick) events: \(events)")
        }
        for (tick, text) in testCase.absentEvents {
            let events = records.indices.contains(tick) ? records[tick].events : []
            #expect(!events.contains(text), "tick \(tick) events: \(events)")
        }
    }
}
