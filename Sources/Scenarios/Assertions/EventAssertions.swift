import ObjectModel
import YAML

/// Evaluates object, alert and webhook assertions. Pure.
public enum EventAssertions {
    public static func evaluate(_ assertion: ObjectAssertion, object: Node?, namespace: String) -> AssertionResult {
        let name = "object \(assertion.kind)/\(assertion.name) (\(namespace))"
        guard let object else {
            return AssertionResult(
                name: name,
                passed: false,
                message: "expected \(assertion.kind)/\(assertion.name) in \(namespace); it does not exist"
            )
        }
        let differences = PartialMatch.mismatches(expected: assertion.match, actual: object)
        return AssertionResult(
            name: name,
            passed: differences.isEmpty,
            message: differences.isEmpty ? "matches" : "does not match:\n  " + differences.joined(separator: "\n  ")
        )
    }

    /// Colours that mean "error" for the Slack-like providers (slack/discord `danger`, rocket and msteams red).
    static let dangerColors: Set<String> = ["danger", "#FF0000", "FF0000", "#ff0000", "ff0000"]

    public static func evaluate(_ assertion: AlertsAssertion, alerts: [ObservedAlert], author: String?)
        -> [AssertionResult]
    {
        let relevant = alerts.filter { author == nil || $0.author == author }
        let subject = author.map { " (\($0))" } ?? ""
        let received =
            relevant.isEmpty
            ? "(no alerts)"
            : relevant.map { "[\(TimelineFacts.format($0.t))s \($0.color)] \($0.text)" }.joined(separator: "\n  ")
        var results: [AssertionResult] = []
        var position = relevant.startIndex
        for expected in assertion.received {
            let found = relevant[position...].firstIndex { alert in
                alert.text.contains(expected.message) && colorMatches(alert.color, expected)
            }
            let what = describe(expected)
            if let found {
                position = relevant.index(after: found)
                results.append(
                    AssertionResult(name: "alerts.received\(subject)", passed: true, message: "received \(what)")
                )
            } else {
                results.append(
                    AssertionResult(
                        name: "alerts.received\(subject)",
                        passed: false,
                        message: "expected \(what) (after the alerts matched before it); received:\n  " + received
                    )
                )
            }
        }
        for text in assertion.notReceived ?? [] {
            let hit = relevant.first { $0.text.contains(text) }
            results.append(
                AssertionResult(
                    name: "alerts.notReceived\(subject)",
                    passed: hit == nil,
                    message: hit.map {
                        "expected no alert containing \"\(text)\", received \"\($0.text)\" at \(TimelineFacts.format($0.t))s"
                    }
                        ?? "no alert containing \"\(text)\""
                )
            )
        }
        return results
    }

    private static func colorMatches(_ color: String, _ expected: ExpectedAlert) -> Bool {
        if let wanted = expected.color, wanted != color { return false }
        if let severity = expected.severity {
            return (severity == "error") == dangerColors.contains(color)
        }
        return true
    }

    private static func describe(_ expected: ExpectedAlert) -> String {
        var text = "an alert containing \"\(expected.message)\""
        if let severity = expected.severity {
            text += " with severity \(severity) (colour \(severity == "error" ? "danger" : "good"))"
        }
        if let color = expected.color { text += " coloured \(color)" }
        return text
    }

    public static func evaluate(
        _ assertion: WebhooksAssertion,
        calls: [WebhookCall],
        canary: String?,
        namespace: String,
        events: [String] = []
    ) -> [AssertionResult] {
        let relevant = calls.filter { canary == nil || ($0.canary == canary && $0.namespace == namespace) }
        let subject = canary.map { " (\($0).\(namespace))" } ?? ""
        var summary: [String: Int] = [:]
        for call in relevant { summary["\(call.name) (\(call.type))", default: 0] += 1 }
        let seen =
            summary.isEmpty
            ? "no webhook calls"
            : "calls: " + summary.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        var results: [AssertionResult] = []
        for expected in assertion.called ?? [] {
            let count = relevant.filter {
                $0.name == expected.name && (expected.type == nil || $0.type == expected.type)
            }.count
            if expected.onceForEachEvent == true {
                results.append(
                    AssertionResult(
                        name: "webhooks.called \(expected.name)\(subject) once for each event",
                        passed: count == events.count,
                        message:
                            "expected \(expected.name) to be called once for each of the \(events.count) event(s) the "
                            + "canary recorded, observed \(count) call(s); \(seen)"
                    )
                )
                continue
            }
            let bound = expected.times ?? IntBound(atLeast: 1)
            results.append(
                AssertionResult(
                    name: "webhooks.called \(expected.name)\(subject)",
                    passed: bound.contains(count),
                    message:
                        "expected \(expected.name)\(expected.type.map { " (\($0))" } ?? "") to be called \(bound) time(s), "
                        + "observed \(count); \(seen)"
                )
            )
        }
        for name in assertion.notCalled ?? [] {
            let count = relevant.filter { $0.name == name }.count
            results.append(
                AssertionResult(
                    name: "webhooks.notCalled \(name)\(subject)",
                    passed: count == 0,
                    message: "expected \(name) not to be called, observed \(count) call(s); \(seen)"
                )
            )
        }
        return results
    }
}
