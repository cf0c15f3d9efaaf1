import Foundation
import KindBackend
import ObjectModel
import Synchronization
import Testing

@Suite("Canary status from the cluster into the timeline")
struct CanaryPollerTests {
    static func canaryJSON(phase: String, weight: Int, failed: Int, iterations: Int = 0) -> String {
        """
        {"apiVersion":"flagger.app/v1beta1","kind":"Canary","metadata":{"name":"podinfo","namespace":"apps"},
         "spec":{"ingressRef":{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","name":"podinfo"}},
         "status":{"phase":"\(phase)","canaryWeight":\(weight),"failedChecks":\(failed),"iterations":\(iterations)}}
        """
    }

    static func ingressJSON(_ annotations: [String: String]) -> String {
        let pairs = annotations.map { "\"nginx.ingress.kubernetes.io/\($0.key)\":\"\($0.value)\"" }
        return "{\"metadata\":{\"name\":\"podinfo-canary\",\"annotations\":{\(pairs.joined(separator: ","))}}}"
    }

    static func eventsJSON(_ messages: [String]) -> String {
        let items = messages.enumerated().map { index, message in
            """
            {"metadata":{"uid":"u\(index)"},"message":"\(message)","count":1,\
            "lastTimestamp":"2026-11-28T00:00:0\(index)Z"}
            """
        }
        return "{\"items\":[\(items.joined(separator: ","))]}"
    }

    @Test("status fields and the canary Ingress' weight become one observation")
    func observation() throws {
        let observation = try CanaryStatusReader.observation(
            canaryJSON: Self.canaryJSON(phase: "Progressing", weight: 20, failed: 1, iterations: 2),
            canaryIngressJSON: Self.ingressJSON(["canary": "true", "canary-weight": "20"]),
            t: 12.5
        )
        #expect(
            observation
                == CanaryObservation(
                    t: 12.5,
                    phase: "Progressing",
                    canaryWeight: 20,
                    routerWeight: 20,
                    failedChecks: 1,
                    iterations: 2
                )
        )
        #expect(
            TimelineRecord.canary(observation).jsonLine
                == #"{"t":12.5,"phase":"Progressing","canaryWeight":20,"routerWeight":20,"failedChecks":1,"iterations":2}"#
        )
    }

    @Test(
        "the router weight follows ingress-nginx's canary annotations",
        arguments: [
            (["canary": "true", "canary-weight": "40"], 40),
            (["canary": "true", "canary-weight": "0"], 0),
            (["canary": "true", "canary-by-header": "x-canary", "canary-weight": "0"], 100),
            (["canary": "true", "canary-by-cookie": "canary"], 100),
            (["canary-weight": "40"], 0),
        ]
    )
    func routerWeight(annotations: [String: String], expected: Int) {
        #expect(CanaryStatusReader.routerWeight(ingressJSON: Self.ingressJSON(annotations)) == expected)
    }

    @Test("polling records changes and each new event once, with the exact kubectl commands")
    func polling() async throws {
        let state = PollState()
        let runner = RecordingCommandRunner { command in
            if command.arguments.contains("canary") { return CommandResult(output: state.canary) }
            if command.arguments.contains("ingress") { return CommandResult(output: state.ingress) }
            return CommandResult(output: CanaryPollerTests.eventsJSON(state.events))
        }
        let poller = CanaryPoller(
            name: "podinfo",
            namespace: "apps",
            target: .kind(name: "rollout-e2e"),
            runner: runner
        )
        state.set(canary: Self.canaryJSON(phase: "Initialized", weight: 0, failed: 0), ingress: "", events: [])

        let first = try await poller.poll(t: 0)
        #expect(
            first.map(\.jsonLine) == [
                #"{"t":0,"phase":"Initialized","canaryWeight":0,"routerWeight":0,"failedChecks":0,"iterations":0}"#
            ]
        )
        #expect(try await poller.poll(t: 1).isEmpty)

        state.set(
            canary: Self.canaryJSON(phase: "Progressing", weight: 20, failed: 0),
            ingress: Self.ingressJSON(["canary": "true", "canary-weight": "20"]),
            events: ["New revision detected! Scaling up podinfo.apps", "Advance podinfo.apps canary weight 20"]
        )
        let second = try await poller.poll(t: 2)
        #expect(second.count == 2)
        guard case .canary(let last) = try #require(second.last) else { return }
        #expect(last.event == "Advance podinfo.apps canary weight 20")
        #expect(last.routerWeight == 20)
        #expect(try await poller.poll(t: 3).isEmpty)

        let words = runner.commands.prefix(3).map(\.words)
        #expect(
            words[0] == [
                "kubectl", "--context", "kind-rollout-e2e", "--namespace", "apps", "get", "canary", "podinfo",
                "--output=json",
            ]
        )
        #expect(words[1].contains("podinfo-canary") && words[1].contains("--ignore-not-found"))
        #expect(words[2].contains("--field-selector=involvedObject.kind=Canary,involvedObject.name=podinfo"))
    }

    @Test("kubectl failing is an error naming the command, not an empty observation")
    func kubectlFails() async throws {
        let runner = RecordingCommandRunner { _ in
            CommandResult(status: 1, errorOutput: "canaries.flagger.app \"podinfo\" not found")
        }
        let poller = CanaryPoller(name: "podinfo", namespace: "apps", target: .kind(name: "x"), runner: runner)
        let error = await #expect(throws: KindBackendError.self) { try await poller.poll(t: 0) }
        #expect(error?.message.contains("not found") == true)
        #expect(error?.message.contains("get canary podinfo") == true)
    }
}

/// What the fake cluster answers, changed between polls.
final class PollState: Sendable {
    private struct Values {
        var canary = ""
        var ingress = ""
        var events: [String] = []
    }
    private let values = Mutex(Values())
    func set(canary: String, ingress: String, events: [String]) {
        values.withLock { $0 = Values(canary: canary, ingress: ingress, events: events) }
    }
    var canary: String { values.withLock { $0.canary } }
    var ingress: String { values.withLock { $0.ingress } }
    var events: [String] { values.withLock { $0.events } }
}
