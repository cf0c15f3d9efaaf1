import CanaryEngine
import ObjectModel
import Testing

/// `event` webhooks receive every event Flagger records, once, as `CallEventWebhook` sends it (spec/flagger.md §4.1).
struct EventHookTests {
    typealias F = EngineFixtures

    /// Inputs that pass everything and note which hooks were called how.
    struct Recording: TickInputs {
        var revision = "v2"
        var trackedConfigs: String?
        var primaryReadiness = DeploymentReadiness.ready
        var canaryReadiness = DeploymentReadiness.ready
        var plainCalls: [(name: String, type: CanaryWebhookType)] = []
        var eventCalls: [(name: String, message: String, phase: CanaryPhase)] = []

        mutating func callWebhook(_ webhook: CanaryWebhook, type: CanaryWebhookType, phase: CanaryPhase) async
            -> WebhookResult
        {
            plainCalls.append((webhook.name, type))
            return type == .rollback ? .failure("Forbidden") : .success(status: 200)
        }

        mutating func callEventWebhook(_ webhook: CanaryWebhook, event: CanaryEvent, phase: CanaryPhase) async {
            eventCalls.append((webhook.name, event.message, phase))
        }

        mutating func queryMetric(_ metric: CanaryMetric, kind: MetricCheckKind) async -> MetricResult? { nil }
    }

    @Test func everyEventReachesEachEventHookOnceWithItsMessage() async throws {
        let hooks = """
            webhooks:
              - name: audit
                type: event
                url: http://audit.test/
              - name: load-test
                url: http://flagger-loadtester.test/
            """
        let analysis = F.weights(threshold: 5, step: 50, max: 50, extra: hooks)
        let engine = CanaryEngine(canary: try F.canary(F.canaryYAML(analysis: analysis)))
        var state = CanaryState()
        var inputs = Recording(revision: "v1")
        var events: [String] = []
        for revision in ["v1", "v1", "v2", "v2", "v2", "v2", "v2"] {
            inputs.revision = revision
            let outcome = await engine.advance(state, inputs: &inputs)
            events += outcome.events
            state = outcome.state
        }
        #expect(state.phase == .succeeded)
        #expect(!events.isEmpty)
        #expect(inputs.eventCalls.map(\.message) == events, "one event call per event, in order")
        #expect(inputs.eventCalls.allSatisfy { $0.name == "audit" })
        // The event hook is not also called as a plain webhook, and the rollout hook never gets events.
        #expect(!inputs.plainCalls.contains { $0.type == .event || $0.name == "audit" })
        #expect(inputs.plainCalls.contains { $0.name == "load-test" && $0.type == .rollout })
    }
}
