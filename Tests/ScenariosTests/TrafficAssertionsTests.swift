import Foundation
import ObjectModel
import Scenarios
import Testing

/// Traffic assertions: what users saw, per phase and per router weight.
struct TrafficAssertionsTests {
    static let timeline = [
        CanaryObservation(t: 0, phase: "Initialized", canaryWeight: 0, routerWeight: 0, failedChecks: 0, iterations: 0),
        CanaryObservation(
            t: 10,
            phase: "Progressing",
            canaryWeight: 0,
            routerWeight: 0,
            failedChecks: 0,
            iterations: 0
        ),
        CanaryObservation(
            t: 20,
            phase: "Progressing",
            canaryWeight: 20,
            routerWeight: 20,
            failedChecks: 0,
            iterations: 0
        ),
        CanaryObservation(
            t: 30,
            phase: "Progressing",
            canaryWeight: 40,
            routerWeight: 40,
            failedChecks: 0,
            iterations: 0
        ),
        CanaryObservation(t: 40, phase: "Failed", canaryWeight: 0, routerWeight: 0, failedChecks: 0, iterations: 0),
    ]

    /// 50 responses a second from t=0 to t=49: the canary (6.0.1) gets `share` of them and answers 500 when
    /// `canaryFails`.
    static func samples(share: (Double) -> Double, canaryFails: Bool = false, run: String = "users")
        -> [NamedTrafficSample]
    {
        var result: [NamedTrafficSample] = []
        for second in 0..<50 {
            let t = Double(second)
            let canary = Int((share(t) * 50).rounded())
            if canary > 0 {
                result.append(
                    NamedTrafficSample(
                        run: run,
                        sample: TrafficSample(
                            t: t,
                            status: canaryFails ? 500 : 200,
                            version: "6.0.1",
                            latencyMs: 5,
                            count: canary
                        )
                    )
                )
            }
            if canary < 50 {
                result.append(
                    NamedTrafficSample(
                        run: run,
                        sample: TrafficSample(t: t, status: 200, version: "6.0.0", latencyMs: 4, count: 50 - canary)
                    )
                )
            }
        }
        return result
    }

    /// The share the router actually applies at t (what a correct ingress delivers).
    static func routerShare(_ t: Double) -> Double {
        Double(TimelineFacts.observation(at: t, in: timeline)?.routerWeight ?? 0) / 100
    }

    private func evaluate(_ assertion: TrafficAssertion, _ samples: [NamedTrafficSample]) -> [AssertionResult] {
        TrafficAssertions.evaluate(assertion, samples: samples, timeline: Self.timeline, label: "podinfo.test")
    }

    @Test func errorRatesArePerPhase() {
        let samples = Self.samples(share: Self.routerShare, canaryFails: true)
        let progressing = evaluate(
            TrafficAssertion(canary: "podinfo", during: ["Progressing"], maxErrorRate: 0.05),
            samples
        )
        #expect(progressing.map(\.passed) == [false])
        #expect(
            progressing.first?.message.contains(
                "by phase: Initialized 0.0% errors of 500, Progressing 20.0% errors of 1500, Failed 0.0% errors of 500"
            ) == true
        )
        let afterRollback = evaluate(
            TrafficAssertion(canary: "podinfo", during: ["Failed"], servedVersions: ["6.0.0"], maxErrorRate: 0),
            samples
        )
        #expect(afterRollback.allSatisfy { $0.passed })
        let sawErrors = evaluate(
            TrafficAssertion(canary: "podinfo", during: ["Progressing"], minErrorRate: 0.1),
            samples
        )
        #expect(sawErrors.map(\.passed) == [true])
    }

    /// A bucket holds the responses of a whole second: one that starts in Progressing but ends after the change to
    /// Failed may hold responses of either phase, so `during` judges it as neither.
    @Test func aBucketStraddlingAPhaseChangeBelongsToNoPhase() {
        var samples = (10..<39).map { second in
            NamedTrafficSample(
                run: "others",
                sample: TrafficSample(t: Double(second) + 0.4, status: 200, version: "6.0.0", latencyMs: 4, count: 10)
            )
        }
        samples.append(
            NamedTrafficSample(
                run: "others",
                sample: TrafficSample(t: 39.4, status: 500, version: "6.0.1", latencyMs: 4, count: 3)
            )
        )
        let progressing = evaluate(
            TrafficAssertion(run: "others", during: ["Progressing"], servedVersions: ["6.0.0"], maxErrorRate: 0),
            samples
        )
        #expect(progressing.allSatisfy { $0.passed }, "\(progressing.map(\.message))")
        let everything = evaluate(TrafficAssertion(run: "others", servedVersions: ["6.0.0"]), samples)
        #expect(everything.map(\.passed) == [false])
        let spanning = evaluate(
            TrafficAssertion(run: "others", during: ["Progressing", "Failed"], servedVersions: ["6.0.0", "6.0.1"]),
            samples
        )
        #expect(spanning.map(\.passed) == [true])
    }

    @Test func servedVersionsMustBeExactlyTheSet() {
        let samples = Self.samples(share: Self.routerShare)
        #expect(evaluate(TrafficAssertion(servedVersions: ["6.0.0", "6.0.1"]), samples).map(\.passed) == [true])
        let wrong = evaluate(TrafficAssertion(servedVersions: ["6.0.0"]), samples)
        #expect(wrong.map(\.passed) == [false])
        #expect(wrong.first?.message.contains("observed {6.0.0: 2200, 6.0.1: 300}") == true)
    }

    @Test func canaryShareFollowingTheRouterWeightPasses() {
        let samples = Self.samples(share: Self.routerShare)
        let results = evaluate(
            TrafficAssertion(canary: "podinfo", canaryShare: .init(version: "6.0.1", tolerance: 0.05)),
            samples
        )
        #expect(results.map(\.passed) == [true], "\(results)")
        #expect(results.first?.message.contains("weight 20: 20.0% of 500") == true)
    }

    @Test func canaryShareIgnoringTheRouterWeightFails() {
        // A broken router sends half of everything to the canary whatever the weight.
        let samples = Self.samples(share: { _ in 0.5 })
        let results = evaluate(
            TrafficAssertion(canary: "podinfo", canaryShare: .init(version: "6.0.1", tolerance: 0.1)),
            samples
        )
        #expect(results.map(\.passed) == [false])
        let message = results.first?.message ?? ""
        #expect(message.contains("off at weight 0: 50.0%"))
        #expect(message.contains("observed timeline of podinfo.test"))
    }

    @Test func canaryShareIsNotJudgedOnceThePrimaryIsPromoted() {
        // Promoting keeps the router weight but rolls the primary to the new version: everyone gets 6.0.1.
        let timeline = [
            CanaryObservation(
                t: 0,
                phase: "Progressing",
                canaryWeight: 40,
                routerWeight: 40,
                failedChecks: 0,
                iterations: 0
            ),
            CanaryObservation(
                t: 20,
                phase: "Promoting",
                canaryWeight: 40,
                routerWeight: 40,
                failedChecks: 0,
                iterations: 0
            ),
            CanaryObservation(
                t: 40,
                phase: "Finalising",
                canaryWeight: 0,
                routerWeight: 0,
                failedChecks: 0,
                iterations: 0
            ),
        ]
        let samples = Self.samples(share: { $0 < 20 ? 0.4 : 1 }).filter { $0.sample.t < 50 }
        let results = TrafficAssertions.evaluate(
            TrafficAssertion(canary: "podinfo", canaryShare: .init(version: "6.0.1", tolerance: 0.05)),
            samples: samples,
            timeline: timeline,
            label: "podinfo.test"
        )
        #expect(results.map(\.passed) == [true], "\(results)")
        #expect(results.first?.message == "6.0.1's share within ±5.0%: weight 40: 40.0% of 1000")
    }

    /// A cache miss (404) is no error to the error rate; `statuses` sees it.
    @Test func statusesCatchAnswersTheErrorRateDoesNotCount() {
        let reads = [
            NamedTrafficSample(
                run: "reads",
                sample: TrafficSample(t: 1, status: 200, version: "6.0.0", latencyMs: 2, count: 30)
            ),
            NamedTrafficSample(
                run: "reads",
                sample: TrafficSample(t: 2, status: 404, version: "6.0.1", latencyMs: 2, count: 7)
            ),
        ]
        let lenient = evaluate(TrafficAssertion(run: "reads", maxErrorRate: 0), reads)
        #expect(lenient.map(\.passed) == [true])
        let strict = evaluate(TrafficAssertion(run: "reads", statuses: [200]), reads)
        #expect(strict.map(\.passed) == [false])
        #expect(strict.first?.name == "traffic.statuses (run reads)")
        #expect(strict.first?.message.hasPrefix("expected only statuses 200, observed 30 × 200, 7 × 404") == true)
        #expect(evaluate(TrafficAssertion(run: "reads", statuses: [200, 404]), reads).map(\.passed) == [true])
    }

    /// One lost request in tens of thousands is still a failure; the message says what the user got instead.
    @Test func theErrorRateNamesTheErrorsItCounted() {
        let users = [
            NamedTrafficSample(
                run: "users",
                sample: TrafficSample(t: 1, status: 200, version: "6.0.0", latencyMs: 2, count: 27331)
            ),
            NamedTrafficSample(
                run: "users",
                sample: TrafficSample(t: 2, status: 502, version: nil, latencyMs: 2, count: 2)
            ),
            NamedTrafficSample(
                run: "users",
                sample: TrafficSample(t: 3, status: 0, version: nil, latencyMs: 2, count: 1)
            ),
        ]
        let results = evaluate(TrafficAssertion(run: "users", maxErrorRate: 0), users)
        #expect(results.map(\.passed) == [false])
        #expect(
            results.first?.message.hasPrefix(
                "expected an error rate of at most 0.0%, observed 0.0% (3 of 27334 responses: 1 × no response, 2 × 502)"
            ) == true,
            "\(results.first?.message ?? "")"
        )
    }

    @Test func noTrafficFailsInsteadOfPassingVacuously() {
        let results = evaluate(TrafficAssertion(run: "users", maxErrorRate: 0), [])
        #expect(results.map(\.passed) == [false])
        #expect(results.first?.name == "traffic.minRequests (run users)")
        #expect(results.first?.message.contains("expected at least 1 response(s), observed 0") == true)
    }

    @Test func runsAreSeparate() {
        let insiders = Self.samples(share: { _ in 1 }, run: "insiders")
        let others = Self.samples(share: { _ in 0 }, run: "others")
        let all = insiders + others
        #expect(evaluate(TrafficAssertion(run: "insiders", servedVersions: ["6.0.1"]), all).map(\.passed) == [true])
        #expect(evaluate(TrafficAssertion(run: "others", servedVersions: ["6.0.0"]), all).map(\.passed) == [true])
    }

    @Test(arguments: [(0, true), (200, false), (404, false), (500, true), (503, true)])
    func errorsAreServerErrorsAndNoResponse(status: Int, isError: Bool) {
        #expect(TrafficAssertions.isError(status) == isError)
    }
}
