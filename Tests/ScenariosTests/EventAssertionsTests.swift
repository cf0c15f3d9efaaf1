import Foundation
import ObjectModel
import Scenarios
import Testing
import YAML

/// Object, alert and webhook assertions.
struct EventAssertionsTests {
    static func node(_ yaml: String) throws -> Node {
        try #require(try YAMLParser.parse(yaml, file: "t.yaml").first?.node)
    }

    static let primary = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: podinfo-primary, namespace: test}
        spec:
          replicas: 2
          template:
            spec:
              containers:
                - name: podinfo
                  image: ghcr.io/stefanprodan/podinfo:6.0.1
                  ports: [{containerPort: 9898}]
        status: {readyReplicas: 2}
        """

    @Test func partialMatchIgnoresKeysNotGiven() throws {
        let actual = try Self.node(Self.primary)
        let expected = try Self.node(
            "spec: {replicas: 2, template: {spec: {containers: [{image: 'ghcr.io/stefanprodan/podinfo:6.0.1'}]}}}"
        )
        #expect(PartialMatch.mismatches(expected: expected, actual: actual).isEmpty)
    }

    @Test func partialMatchSaysWhereItDiffers() throws {
        let actual = try Self.node(Self.primary)
        let expected = try Self.node(
            "spec: {replicas: 3, paused: true, template: {spec: {containers: [{image: 'podinfo:6.0.0'}, {name: x}]}}}"
        )
        #expect(
            PartialMatch.mismatches(expected: expected, actual: actual) == [
                "spec.replicas: expected 3, found 2",
                "spec.paused: missing (expected true)",
                "spec.template.spec.containers: expected 2 element(s), found 1",
            ]
        )
    }

    @Test func anObjectAssertionOnAMissingObjectFails() throws {
        let assertion = ObjectAssertion(kind: "Deployment", name: "podinfo-primary", match: try Self.node("spec: {}"))
        let result = EventAssertions.evaluate(assertion, object: nil, namespace: "test")
        #expect(!result.passed)
        #expect(result.message == "expected Deployment/podinfo-primary in test; it does not exist")
    }

    static let alerts = [
        ObservedAlert(
            t: 1,
            author: "podinfo.test",
            text: "New Deployment detected, initialization completed.",
            color: "good"
        ),
        ObservedAlert(
            t: 9,
            author: "podinfo.test",
            text: "New revision detected, progressing canary analysis.",
            color: "good"
        ),
        ObservedAlert(t: 30, author: "other.test", text: "Failed checks threshold reached 5", color: "danger"),
        ObservedAlert(
            t: 40,
            author: "podinfo.test",
            text: "Canary analysis completed successfully, promotion finished.",
            color: "good"
        ),
    ]

    @Test func alertsMatchInOrderWithSeverityColours() {
        let assertion = AlertsAssertion(
            canary: "podinfo",
            received: [
                ExpectedAlert(message: "initialization completed", severity: "info"),
                ExpectedAlert(message: "New revision detected", color: "good"),
                ExpectedAlert(message: "promotion finished", severity: "info"),
            ],
            notReceived: ["Failed checks threshold"]
        )
        let results = EventAssertions.evaluate(assertion, alerts: Self.alerts, author: "podinfo.test")
        #expect(results.map(\.passed) == [true, true, true, true])
    }

    @Test func aWrongSeverityColourFails() {
        let assertion = AlertsAssertion(received: [ExpectedAlert(message: "promotion finished", severity: "error")])
        let results = EventAssertions.evaluate(assertion, alerts: Self.alerts, author: nil)
        #expect(results.map(\.passed) == [false])
        #expect(results.first?.message.contains("with severity error (colour danger)") == true)
        #expect(results.first?.message.contains("[40.0s good] Canary analysis completed successfully") == true)
    }

    @Test func outOfOrderAlertsFail() {
        let assertion = AlertsAssertion(
            canary: "podinfo",
            received: [ExpectedAlert(message: "promotion finished"), ExpectedAlert(message: "New revision detected")]
        )
        let results = EventAssertions.evaluate(assertion, alerts: Self.alerts, author: "podinfo.test")
        #expect(results.map(\.passed) == [true, false])
    }

    @Test func alertsAboutOtherCanariesDoNotCount() {
        let assertion = AlertsAssertion(canary: "podinfo", received: [], notReceived: ["threshold reached"])
        #expect(
            EventAssertions.evaluate(assertion, alerts: Self.alerts, author: "podinfo.test").map(\.passed) == [true]
        )
        #expect(EventAssertions.evaluate(assertion, alerts: Self.alerts, author: nil).map(\.passed) == [false])
    }

    static let calls = [
        WebhookCall(
            t: 5,
            name: "load-test",
            type: "rollout",
            canary: "podinfo",
            namespace: "test",
            phase: "Progressing",
            status: 200
        ),
        WebhookCall(
            t: 6,
            name: "load-test",
            type: "rollout",
            canary: "podinfo",
            namespace: "test",
            phase: "Progressing",
            status: 200
        ),
        WebhookCall(
            t: 7,
            name: "gate",
            type: "confirm-promotion",
            canary: "podinfo",
            namespace: "test",
            phase: "Progressing",
            status: 403
        ),
        WebhookCall(
            t: 7,
            name: "rollback",
            type: "rollback",
            canary: "podinfo",
            namespace: "apps",
            phase: "Progressing",
            status: 403
        ),
    ]

    @Test func webhooksAreCountedPerCanary() {
        let assertion = WebhooksAssertion(
            canary: "podinfo",
            called: [
                ExpectedWebhook(name: "load-test", type: "rollout", times: IntBound(atLeast: 2)),
                ExpectedWebhook(name: "gate"),
                ExpectedWebhook(name: "load-test", times: IntBound(atLeast: 3)),
            ],
            notCalled: ["rollback"]
        )
        let results = EventAssertions.evaluate(assertion, calls: Self.calls, canary: "podinfo", namespace: "test")
        #expect(results.map(\.passed) == [true, true, false, true])
        #expect(results[2].message.contains("expected load-test to be called at least 3 time(s), observed 2"))
        #expect(results[2].message.contains("calls: gate (confirm-promotion) ×1, load-test (rollout) ×2"))
    }

    @Test func anEventHookMustHearEachEventOnce() {
        let event = { (t: Double) in
            WebhookCall(
                t: t,
                name: "audit",
                type: "event",
                canary: "podinfo",
                namespace: "test",
                phase: "Progressing",
                status: 200
            )
        }
        let assertion = WebhooksAssertion(
            canary: "podinfo",
            called: [ExpectedWebhook(name: "audit", type: "event", onceForEachEvent: true)]
        )
        let events = ["New revision detected! Scaling up podinfo.test", "Starting canary analysis for podinfo.test"]
        let once = EventAssertions.evaluate(
            assertion,
            calls: [event(1), event(2)],
            canary: "podinfo",
            namespace: "test",
            events: events
        )
        #expect(once.map(\.passed) == [true])
        // Each event sent twice (the local backend did that once) is caught.
        let twice = EventAssertions.evaluate(
            assertion,
            calls: [event(1), event(1), event(2), event(2)],
            canary: "podinfo",
            namespace: "test",
            events: events
        )
        #expect(twice.map(\.passed) == [false])
        #expect(twice[0].message.contains("once for each of the 2 event(s) the canary recorded, observed 4 call(s)"))
    }
}
