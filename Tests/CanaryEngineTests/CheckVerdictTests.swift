import CanaryEngine
import ObjectModel
import Testing

/// spec/flagger.md §3 metric verdicts, §4 webhook success, §6 alert severities — one analysed tick each.
struct CheckVerdictTests {
    typealias F = EngineFixtures

    static let metrics = """
        interval: 15s
        threshold: 5
        maxWeight: 50
        stepWeight: 10
        metrics:
          - name: request-success-rate
            thresholdRange: {min: 99}
          - name: request-duration
            thresholdRange: {max: 500}
          - name: latency
            templateRef: {name: latency}
            interval: 1m
            thresholdRange: {min: 0.1, max: 0.5}
          - name: errors
            query: sum(rate(errors[1m]))
            thresholdRange: {max: 2}
          - name: legacy-rate
            query: sum(rate(x[1m]))
            threshold: 5
        """

    /// One analysed tick at weight 10 with `metrics`; returns (passed, events).
    static func analyse(
        _ metrics: [String: MetricResult],
        analysis: String = metrics
    ) async throws -> (Bool, [String]) {
        let engine = CanaryEngine(canary: try F.canary(F.canaryYAML(analysis: analysis)))
        var inputs = FixedTickInputs(revision: "v2", metrics: metrics)
        let outcome = await engine.advance(EngineStateTests.running(.progressing, weight: 10), inputs: &inputs)
        return (outcome.state.failedChecks == 0, outcome.events)
    }

    struct VerdictCase: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var metrics: [String: MetricResult]
        var passes: Bool
        var event: String?
    }

    static let verdicts: [VerdictCase] = [
        VerdictCase(testDescription: "all omitted pass", metrics: [:], passes: true),
        VerdictCase(testDescription: "min is inclusive", metrics: ["request-success-rate": .value(99)], passes: true),
        VerdictCase(
            testDescription: "below min",
            metrics: ["request-success-rate": .value(98.994)],
            passes: false,
            event: "Halt podinfo.test advancement success rate 98.99% < 99%"
        ),
        VerdictCase(testDescription: "max is inclusive", metrics: ["request-duration": .value(500.9)], passes: true),
        VerdictCase(
            testDescription: "duration in whole ms",
            metrics: ["request-duration": .value(1500.7)],
            passes: false,
            event: "Halt podinfo.test advancement request duration 1.5s > 500ms"
        ),
        VerdictCase(
            testDescription: "no data is a failure",
            metrics: ["request-duration": .noValues],
            passes: false,
            event:
                "Halt advancement no values found for nginx metric request-duration probably podinfo.test is not receiving traffic"
        ),
        VerdictCase(
            testDescription: "template below min",
            metrics: ["latency": .value(0.05)],
            passes: false,
            event: "Halt podinfo.test advancement latency 0.05 < 0.1"
        ),
        VerdictCase(
            testDescription: "template no data",
            metrics: ["latency": .noValues],
            passes: false,
            event: "Halt advancement no values found for custom metric: latency: no values found"
        ),
        VerdictCase(
            testDescription: "template query error",
            metrics: ["latency": .error("bad_data: parse error")],
            passes: false,
            event: "Metric query failed for latency: bad_data: parse error"
        ),
        VerdictCase(
            testDescription: "inline query above max",
            metrics: ["errors": .value(2.5)],
            passes: false,
            event: "Halt podinfo.test advancement errors 2.50 > 2"
        ),
        VerdictCase(
            testDescription: "inline query no data",
            metrics: ["errors": .noValues],
            passes: false,
            event: "Halt advancement no values found for metric: errors"
        ),
        VerdictCase(
            testDescription: "Q8 legacy threshold is a maximum for custom metrics",
            metrics: ["legacy-rate": .value(6)],
            passes: false,
            event: "Halt podinfo.test advancement legacy-rate 6.00 > 5"
        ),
        VerdictCase(
            testDescription: "Q8 legacy threshold equal passes",
            metrics: ["legacy-rate": .value(5)],
            passes: true
        ),
    ]

    @Test(arguments: verdicts)
    func metricVerdicts(_ testCase: VerdictCase) async throws {
        let (passed, events) = try await Self.analyse(testCase.metrics)
        #expect(passed == testCase.passes, "\(events)")
        if let event = testCase.event {
            #expect(events == [event])
        } else {
            #expect(events == ["Advance podinfo.test canary weight 20"])
        }
    }

    @Test func builtinAndInlineMetricsAreCheckedBeforeTemplates() async throws {
        let (_, events) = try await Self.analyse(["latency": .noValues, "errors": .value(3)])
        #expect(events == ["Halt podinfo.test advancement errors 3.00 > 2"], "the inline query fails first")
    }

    @Test func fractionalDurationBoundsTruncate() async throws {
        let analysis =
            "interval: 15s\nthreshold: 5\nmaxWeight: 50\nstepWeight: 10\nmetrics:\n  - name: request-duration\n    thresholdRange: {max: 0.5}"
        let (passed, events) = try await Self.analyse(["request-duration": .value(0.9)], analysis: analysis)
        #expect(passed, "0.9 ms truncates to 0 ms and 0.5 ms to 0 ms: \(events)")
        let (failed, failure) = try await Self.analyse(["request-duration": .value(1)], analysis: analysis)
        #expect(!failed)
        #expect(failure == ["Halt podinfo.test advancement request duration 1ms > 0s"])
    }

    @Test(arguments: [
        ("legacy success-rate threshold is a minimum", "threshold: 99", 98.0, false),
        ("legacy success-rate threshold met", "threshold: 99", 99.0, true),
        ("no bounds: success rate always passes", "interval: 1m", 0.0, true),
    ])
    func q8LegacySuccessRateThreshold(_ name: String, _ line: String, _ value: Double, _ passes: Bool) async throws {
        let analysis =
            "interval: 15s\nthreshold: 5\nmaxWeight: 50\nstepWeight: 10\nmetrics:\n  - name: request-success-rate\n    \(line)"
        let (passed, _) = try await Self.analyse(["request-success-rate": .value(value)], analysis: analysis)
        #expect(passed == passes, "\(name)")
    }

    @Test func metricWithoutSourceFailsEveryCheck() async throws {
        let analysis =
            "interval: 15s\nthreshold: 5\nmaxWeight: 50\nstepWeight: 10\nmetrics:\n  - name: undefined\n    thresholdRange: {max: 1}"
        let engine = CanaryEngine(canary: try F.canary(F.canaryYAML(analysis: analysis), expectValid: false))
        var inputs = FixedTickInputs(revision: "v2")
        let outcome = await engine.advance(EngineStateTests.running(.progressing, weight: 10), inputs: &inputs)
        #expect(outcome.state.failedChecks == 1)
        #expect(outcome.events == ["Metric query failed for no usable metrics template and query were configured"])
    }

    @Test(arguments: [
        (200, true), (201, true), (202, true), (203, false), (204, false), (302, false), (403, false), (500, false),
    ])
    func webhookSuccessIsStatusUpTo202(_ status: Int, _ succeeds: Bool) {
        let result = WebhookResult.response(status: status, body: "Forbidden", url: "http://hook/", retries: 0)
        #expect(result.succeeded == succeeds)
    }

    @Test func retriedWebhookFailuresLoseTheBody() async {
        #expect(
            WebhookResult.response(status: 503, body: "down", url: "http://hook/", retries: 2)
                == .failure("POST http://hook/ giving up after 3 attempt(s)")
        )
        #expect(WebhookResult.response(status: 501, body: "nope", url: "http://hook/", retries: 2) == .failure("nope"))
    }

    @Test func rolloutWebhookFailureIsAFailedCheck() async throws {
        let analysis = Self.metrics + "\nwebhooks:\n  - name: load-test\n    url: http://flagger-loadtester.test/"
        let engine = CanaryEngine(canary: try F.canary(F.canaryYAML(analysis: analysis)))
        var inputs = FixedTickInputs(revision: "v2", webhooks: ["load-test": .failure("metadata not found in payload")])
        let outcome = await engine.advance(EngineStateTests.running(.progressing, weight: 10), inputs: &inputs)
        #expect(outcome.state.failedChecks == 1)
        #expect(
            outcome.events == [
                "Halt podinfo.test advancement external check load-test failed metadata not found in payload"
            ]
        )
        #expect(
            !outcome.actions.contains { if case .queryMetric = $0 { true } else { false } },
            "metrics are not queried"
        )
    }

    @Test(arguments: [
        (AlertSeverity.info, ["all"]),
        (AlertSeverity.warn, ["all", "warnings"]),
        (AlertSeverity.error, ["all", "warnings", "errors"]),
    ])
    func alertSeverityFilter(_ severity: AlertSeverity, _ expected: [String]) throws {
        let analysis =
            F.weights(threshold: 5, step: 10, max: 50)
            + "alerts:\n  - {name: all, severity: info, providerRef: {name: slack}}\n"
            + "  - {name: warnings, severity: warn, providerRef: {name: slack}}\n"
            + "  - {name: errors, severity: error, providerRef: {name: slack}}\n"
            + "  - {name: silent, providerRef: {name: slack}}"
        let engine = CanaryEngine(canary: try F.canary(F.canaryYAML(analysis: analysis), expectValid: false))
        #expect(engine.alertRecipients(for: severity) == expected)
    }

    @Test func mutedGateSendsNoAlert() async throws {
        let analysis =
            F.weights(threshold: 5, step: 10, max: 50)
            + "webhooks:\n  - {name: gate, type: confirm-rollout, url: http://gate/, muteAlert: true}"
        let engine = CanaryEngine(canary: try F.canary(F.canaryYAML(analysis: analysis)))
        var inputs = FixedTickInputs(revision: "v3", webhooks: ["gate": .failure("Forbidden")])
        let outcome = await engine.advance(EngineStateTests.running(.initialized, weight: 0), inputs: &inputs)
        #expect(outcome.state.phase == .waiting)
        #expect(outcome.alerts.isEmpty)
        #expect(outcome.events == ["Halt podinfo.test advancement waiting for approval gate"])
    }
}
