import Foundation
import ObjectModel
import Scenarios
import Testing

/// What `rollout-e2e run --compare-time-scale` reports, from timeline lines real runs wrote: `step-weights` at
/// Flagger's pace (`Fixtures/timescale-1.0`) and at `--time-scale 0.02` on a machine so loaded that two analysis
/// windows at weight 2 saw no canary request.
struct TimelineComparisonTests {
    /// `step-weights` at `--time-scale 1.0` (lines of `Fixtures/timescale-1.0/step-weights`, traffic included).
    static let fullSpeed = """
        {"t":0,"phase":"Initializing","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"event":"all the metrics providers are available!"}
        {"t":4,"kind":"traffic","status":200,"version":"6.0.0","latencyMs":3.495,"count":40,"run":"users"}
        {"t":4.559,"phase":"Initialized","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"event":"Initialization done! podinfo.test"}
        {"t":64.564,"phase":"Progressing","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"event":"New revision detected! Scaling up podinfo.test"}
        {"t":124.712,"phase":"Progressing","canaryWeight":1,"routerWeight":1,"failedChecks":0,"iterations":0,"event":"Starting canary analysis for podinfo.test"}
        {"t":124.712,"phase":"Progressing","canaryWeight":1,"routerWeight":1,"failedChecks":0,"iterations":0,"event":"Advance podinfo.test canary weight 1"}
        {"t":125,"kind":"traffic","status":200,"version":"6.0.1","latencyMs":2.1,"count":2,"run":"users"}
        {"t":184.943,"phase":"Progressing","canaryWeight":2,"routerWeight":2,"failedChecks":0,"iterations":0,"event":"Advance podinfo.test canary weight 2"}
        {"t":245.171,"phase":"Progressing","canaryWeight":10,"routerWeight":10,"failedChecks":0,"iterations":0,"event":"Advance podinfo.test canary weight 10"}
        {"t":305.318,"phase":"Progressing","canaryWeight":80,"routerWeight":80,"failedChecks":0,"iterations":0,"event":"Advance podinfo.test canary weight 80"}
        {"t":365.366,"phase":"Promoting","canaryWeight":80,"routerWeight":80,"failedChecks":0,"iterations":0,"event":"Copying podinfo.test template spec to podinfo-primary.test"}
        {"t":425.528,"phase":"Finalising","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"event":"Routing all traffic to primary"}
        {"t":485.543,"phase":"Succeeded","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"event":"Promotion completed! Scaling down podinfo.test"}

        """

    /// `step-weights` at `--time-scale 0.02` under a load average of 15 on 2 cores: two "no values found" ticks.
    static let loadedScaled = """
        {"t":205.067,"phase":"Initializing","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"event":"all the metrics providers are available!"}
        {"t":286.043,"phase":"Initialized","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"event":"Initialization done! podinfo.test"}
        {"t":362.109,"phase":"Initialized","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0}
        {"t":581.689,"phase":"Progressing","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0,"event":"New revision detected! Scaling up podinfo.test"}
        {"t":759.731,"phase":"Progressing","canaryWeight":1,"routerWeight":1,"failedChecks":0,"iterations":0,"event":"Advance podinfo.test canary weight 1"}
        {"t":896.995,"phase":"Progressing","canaryWeight":2,"routerWeight":2,"failedChecks":0,"iterations":0,"event":"Advance podinfo.test canary weight 2"}
        {"t":900,"kind":"traffic","status":200,"version":"6.0.1","latencyMs":30.975,"count":2,"run":"users"}
        {"t":979.467,"phase":"Progressing","canaryWeight":2,"routerWeight":2,"failedChecks":1,"iterations":0,"event":"Halt advancement no values found for nginx metric request-success-rate probably podinfo.test is not receiving traffic: running query failed: no values found"}
        {"t":1073.415,"phase":"Progressing","canaryWeight":2,"routerWeight":2,"failedChecks":2,"iterations":0,"event":"Halt advancement no values found for nginx metric request-success-rate probably podinfo.test is not receiving traffic: running query failed: no values found"}
        {"t":1161.757,"phase":"Progressing","canaryWeight":10,"routerWeight":10,"failedChecks":2,"iterations":0,"event":"Advance podinfo.test canary weight 10"}
        {"t":1350.166,"phase":"Progressing","canaryWeight":80,"routerWeight":80,"failedChecks":2,"iterations":0,"event":"Advance podinfo.test canary weight 80"}
        {"t":1435.113,"phase":"Promoting","canaryWeight":80,"routerWeight":80,"failedChecks":2,"iterations":0,"event":"Copying podinfo.test template spec to podinfo-primary.test"}
        {"t":1519.056,"phase":"Finalising","canaryWeight":0,"routerWeight":0,"failedChecks":2,"iterations":0,"event":"Routing all traffic to primary"}
        {"t":1582.896,"phase":"Succeeded","canaryWeight":0,"routerWeight":0,"failedChecks":2,"iterations":0,"event":"Promotion completed! Scaling down podinfo.test"}
        """

    @Test func aTimelineReadsBackAsItsCanaryObservationsWithoutTheTraffic() throws {
        let observations = try TimelineFile.canaryObservations(in: Self.fullSpeed)
        #expect(observations.count == 11)
        #expect(observations.first?.event == "all the metrics providers are available!")
        #expect(observations[4].t == 124.712 && observations[4].canaryWeight == 1 && observations[4].routerWeight == 1)
        // What the run wrote is what reads back.
        let written = TimelineFile.render(canary: observations, traffic: [])
        #expect(try TimelineFile.canaryObservations(in: written) == observations)
    }

    @Test func theProjectionKeepsPhasesWeightsAndTheMostFailedChecksButNotTheClock() throws {
        let full = DecisionProjection(try TimelineFile.canaryObservations(in: Self.fullSpeed))
        #expect(full.phases == ["Initializing", "Initialized", "Progressing", "Promoting", "Finalising", "Succeeded"])
        #expect(full.weights == [1, 2, 10, 80])
        #expect(full.maxFailedChecks == 0)
        let scaled = DecisionProjection(try TimelineFile.canaryObservations(in: Self.loadedScaled))
        #expect(scaled.phases == full.phases && scaled.weights == full.weights)
        #expect(scaled.maxFailedChecks == 2)
    }

    @Test func aSpuriousFailedCheckIsADifferenceThatNamesBothScales() throws {
        let comparison = TimelineComparison(
            left: [
                "step-weights": [
                    "podinfo.test": DecisionProjection(try TimelineFile.canaryObservations(in: Self.loadedScaled))
                ]
            ],
            leftLabel: "0.02",
            right: [
                "step-weights": [
                    "podinfo.test": DecisionProjection(try TimelineFile.canaryObservations(in: Self.fullSpeed))
                ]
            ],
            rightLabel: "1"
        )
        #expect(!comparison.agrees)
        #expect(comparison.entries.map(\.differences) == [["max failedChecks differ: 2 at 0.02, 0 at 1"]])
        let text = comparison.render()
        #expect(text.contains("✘ DIFF  step-weights podinfo.test  max failedChecks differ: 2 at 0.02, 0 at 1"))
        #expect(text.hasSuffix("1 canary(ies): 0 decided alike, 1 differ\n"))
    }

    @Test func sequencesThatPartSayWhereAndShowBoth() {
        let promoted = DecisionProjection(
            phases: ["Initialized", "Progressing", "Promoting", "Finalising", "Succeeded"],
            weights: [1, 2, 10, 80],
            maxFailedChecks: 0
        )
        let rolledBack = DecisionProjection(
            phases: ["Initialized", "Progressing", "Failed"],
            weights: [1, 2],
            maxFailedChecks: 5
        )
        #expect(
            promoted.differences(from: rolledBack, label: "0.02", otherLabel: "1") == [
                "phases differ at #3: Promoting at 0.02, Failed at 1 "
                    + "([Initialized, Progressing, Promoting, Finalising, Succeeded] vs [Initialized, Progressing, Failed])",
                "weights differ at #3: 10 at 0.02, (none) at 1 ([1, 2, 10, 80] vs [1, 2])",
                "max failedChecks differ: 0 at 0.02, 5 at 1",
            ]
        )
        #expect(promoted.differences(from: promoted, label: "0.02", otherLabel: "1").isEmpty)
    }

    @Test func aCanaryOnlyOneRunObservedDiffers() {
        let projection = DecisionProjection(phases: ["Initialized"], weights: [], maxFailedChecks: 0)
        let comparison = TimelineComparison(
            left: ["staging-then-main": ["podinfo.test": projection, "podinfo.apps": projection]],
            leftLabel: "0.02",
            right: ["staging-then-main": ["podinfo.test": projection]],
            rightLabel: "0.05"
        )
        #expect(comparison.entries.map(\.canary) == ["podinfo.apps", "podinfo.test"])
        #expect(comparison.entries.map(\.differences) == [["no timeline at 0.05"], []])
        #expect(!comparison.agrees)
        #expect(!TimelineComparison(left: [:], leftLabel: "0.02", right: [:], rightLabel: "1").agrees)
    }

    @Test func reportDirectoriesAreComparedScenarioByScenario() throws {
        let root = NSTemporaryDirectory() + "timeline-comparison-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: root) }
        for (run, text) in [("fast", Self.fullSpeed), ("slow", Self.fullSpeed), ("other", Self.loadedScaled)] {
            let directory = "\(root)/\(run)/step-weights"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try text.write(toFile: directory + "/podinfo.test.timeline.jsonl", atomically: true, encoding: .utf8)
            // Reports beside the timelines are not timelines.
            try "<html/>".write(toFile: "\(root)/\(run)/report.html", atomically: true, encoding: .utf8)
        }
        let same = try TimelineComparison.load(
            left: root + "/fast",
            leftLabel: "0.02",
            right: root + "/slow",
            rightLabel: "1"
        )
        #expect(same.agrees)
        #expect(
            same.render().contains(
                "✔ SAME  step-weights podinfo.test  Initializing → Initialized → Progressing → Promoting → Finalising → "
                    + "Succeeded; weights [1, 2, 10, 80]; max failedChecks 0"
            )
        )
        let different = try TimelineComparison.load(
            left: root + "/other",
            leftLabel: "0.02",
            right: root + "/slow",
            rightLabel: "1"
        )
        #expect(!different.agrees)
        // Only the scenarios asked about are compared.
        let none = try TimelineComparison.load(
            left: root + "/other",
            leftLabel: "0.02",
            right: root + "/slow",
            rightLabel: "1",
            scenarios: ["promote"]
        )
        #expect(none.entries.isEmpty)
    }

    @Test func aBrokenLineIsReportedAtItsLine() {
        let text = Self.fullSpeed.replacingOccurrences(of: #"{"t":64.564,"#, with: #"{"t":"soon","#)
        #expect {
            try TimelineFile.canaryObservations(in: text, file: "p.timeline.jsonl")
        } throws: { error in
            "\(error)" == #"p.timeline.jsonl:4: no number "t""#
        }
    }
}
