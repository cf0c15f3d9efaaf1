import Foundation
import ObjectModel
import Scenarios
import Testing

/// Timeline assertions on synthetic timelines shaped like Flagger's (spec/flagger.md §2.10).
struct TimelineAssertionsTests {
    /// A promotion with stepWeight 10 / maxWeight 30, Initialized polled twice.
    static let promotion = Fixtures.timeline([
        (0, "Initializing", 0, 0), (5, "Initialized", 0, 0), (6, "Initialized", 0, 0), (60, "Progressing", 0, 0),
        (120, "Progressing", 10, 0), (180, "Progressing", 20, 0), (240, "Progressing", 30, 0),
        (300, "Promoting", 30, 0), (360, "Finalising", 0, 0), (420, "Succeeded", 0, 0),
    ])

    /// A rollback after threshold 2: failedChecks climbs to 2, then Flagger zeroes it in Failed.
    static let rollback = Fixtures.timeline([
        (0, "Initialized", 0, 0), (60, "Progressing", 0, 0), (120, "Progressing", 10, 0), (180, "Progressing", 10, 1),
        (240, "Progressing", 10, 2), (300, "Failed", 0, 0),
    ])

    private func evaluate(_ assertion: TimelineAssertion, _ timeline: [CanaryObservation]) -> [AssertionResult] {
        TimelineAssertions.evaluate(assertion, timeline: timeline, label: "podinfo.test")
    }

    @Test func aPromotionPassesItsChecks() {
        let results = evaluate(
            TimelineAssertion(
                canary: "podinfo",
                phases: ["Initializing", "Initialized", "Progressing", "Promoting", "Finalising", "Succeeded"],
                phasesInclude: ["Progressing", "Succeeded"],
                weights: [10, 20, 30],
                maxFailedChecks: IntBound(atMost: 0),
                finalPhase: "Succeeded",
                timeToDecision: DurationBound(atMost: ManifestDuration(seconds: 360))
            ),
            Self.promotion
        )
        #expect(results.count == 6)
        #expect(results.allSatisfy { $0.passed }, "\(results.filter { !$0.passed })")
    }

    @Test func repeatedPhasesCollapse() {
        #expect(
            TimelineFacts.phases(Self.promotion) == [
                "Initializing", "Initialized", "Progressing", "Promoting", "Finalising", "Succeeded",
            ]
        )
        #expect(TimelineFacts.weights(Self.promotion) == [10, 20, 30])
    }

    @Test func failedChecksAreReadFromHistoryNotTheLastStatus() {
        #expect(Self.rollback.last?.failedChecks == 0)
        let atLeast = evaluate(
            TimelineAssertion(canary: "podinfo", maxFailedChecks: IntBound(atLeast: 2)),
            Self.rollback
        )
        #expect(atLeast.map(\.passed) == [true])
        let none = evaluate(TimelineAssertion(canary: "podinfo", maxFailedChecks: IntBound(atMost: 0)), Self.rollback)
        #expect(none.map(\.passed) == [false])
        #expect(none.first?.message.contains("expected the highest failedChecks to be at most 0, observed 2") == true)
    }

    @Test func aFailureNamesTheAssertionAndShowsTheObservedTimeline() throws {
        let results = evaluate(TimelineAssertion(canary: "podinfo", finalPhase: "Failed"), Self.promotion)
        let result = try #require(results.first)
        #expect(!result.passed)
        #expect(result.name == "timeline.finalPhase (podinfo.test)")
        #expect(result.message.contains("expected final phase Failed, observed Succeeded"))
        // Compact: one entry per state change, so the duplicate Initialized poll is not repeated.
        #expect(
            result.message.contains(
                "observed timeline of podinfo.test: 0.0s Initializing w0/0 fc0 → 5.0s Initialized w0/0 fc0 → 60.0s Progressing"
            )
        )
        #expect(!result.message.contains("6.0s Initialized"))
    }

    @Test func phaseSequencesMustMatchExactly() {
        let results = evaluate(
            TimelineAssertion(canary: "podinfo", phases: ["Initialized", "Progressing", "Succeeded"]),
            Self.promotion
        )
        #expect(results.map(\.passed) == [false])
        let included = evaluate(
            TimelineAssertion(canary: "podinfo", phasesInclude: ["Succeeded", "Progressing"]),
            Self.promotion
        )
        #expect(included.map(\.passed) == [false])
        #expect(included.first?.message.contains("'Progressing' is missing (or out of order)") == true)
    }

    @Test func timeToDecisionRunsFromProgressingToTheDecision() {
        // Progressing at 60, Succeeded at 420: six minutes of (scenario) time.
        let pass = evaluate(
            TimelineAssertion(canary: "podinfo", timeToDecision: DurationBound(atMost: ManifestDuration(seconds: 360))),
            Self.promotion
        )
        #expect(pass.map(\.passed) == [true])
        let fail = evaluate(
            TimelineAssertion(canary: "podinfo", timeToDecision: DurationBound(atMost: ManifestDuration(seconds: 300))),
            Self.promotion
        )
        #expect(fail.map(\.passed) == [false])
        #expect(fail.first?.message.contains("expected the decision at most 5m after Progressing, observed 6m") == true)
    }

    @Test func noDecisionFailsTimeToDecision() {
        let stuck = Array(Self.promotion.prefix(6))
        let results = evaluate(
            TimelineAssertion(canary: "podinfo", timeToDecision: DurationBound(atMost: ManifestDuration(seconds: 600))),
            stuck
        )
        #expect(results.map(\.passed) == [false])
        #expect(results.first?.message.contains("never got from Progressing to Succeeded or Failed") == true)
    }

    @Test func eventsMatchBySubstring() {
        var timeline = Self.promotion
        timeline[4].event = "Advance podinfo.test canary weight 10"
        let results = evaluate(
            TimelineAssertion(canary: "podinfo", events: ["canary weight 10", "weight 90"]),
            timeline
        )
        #expect(results.map(\.passed) == [true, false])
    }

    @Test func anEmptyTimelineFailsEveryCheck() {
        let results = evaluate(TimelineAssertion(canary: "podinfo", weights: [10], finalPhase: "Succeeded"), [])
        #expect(results.map(\.passed) == [false, false])
        #expect(results.last?.message.contains("(no observations)") == true)
    }
}
