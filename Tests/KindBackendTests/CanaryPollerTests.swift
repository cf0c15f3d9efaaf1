import Foundation
import KindBackend
import ObjectModel
import Synchronization
import Testing

@Suite("Canary status from the cluster into the timeline")
struct CanaryPollerTests {
    static func canaryJSON(phase: String, weight: Int, failed: Int, iterations: Int = 0, uid: String? = "uid-1")
        -> String
    {
        let uidField = uid.map { ",\"uid\":\"\($0)\"" } ?? ""
        return """
            {"apiVersion":"flagger.app/v1beta1","kind":"Canary",
             "metadata":{"name":"podinfo","namespace":"apps"\(uidField)},
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
        #expect(words[2].contains("--field-selector=involvedObject.uid=uid-1"))
    }

    /// An Event in the fake cluster, about the Canary `involvedUID` (of kind Canary, named podinfo).
    struct ClusterEvent {
        var uid: String
        var involvedUID: String
        var message: String
        var time: String

        var json: String {
            """
            {"metadata":{"uid":"\(uid)","namespace":"apps"},\
            "involvedObject":{"kind":"Canary","name":"podinfo","namespace":"apps","uid":"\(involvedUID)"},\
            "message":"\(message)","count":1,"lastTimestamp":"\(time)"}
            """
        }

        /// The field `involvedObject.<key>` as the API server's field selector reads it.
        func field(_ key: String) -> String? {
            switch key {
            case "involvedObject.kind": "Canary"
            case "involvedObject.name": "podinfo"
            case "involvedObject.namespace": "apps"
            case "involvedObject.uid": involvedUID
            default: nil
            }
        }
    }

    /// Answers like the API server: the Canary, and of `events` those the command's `--field-selector` selects
    /// (every `key=value` must match; no selector selects all).
    static func cluster(canary: String, events: [ClusterEvent]) -> @Sendable (Command) -> CommandResult {
        let items = events.map { ($0.json, $0) }
        return { command in
            guard command.arguments.contains("events") else {
                return command.arguments.contains("canary") ? CommandResult(output: canary) : CommandResult()
            }
            let prefix = "--field-selector="
            let selector = command.arguments.first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
            let terms = (selector ?? "").split(separator: ",").map { $0.split(separator: "=", maxSplits: 1) }
            let selected = items.filter { _, event in
                terms.allSatisfy { $0.count == 2 && event.field(String($0[0])) == String($0[1]) }
            }
            return CommandResult(output: "{\"items\":[\(selected.map(\.0).joined(separator: ","))]}")
        }
    }

    @Test("events are selected by the Canary's uid, not by its kind and name")
    func eventsByUID() async throws {
        let runner = RecordingCommandRunner(
            responder: Self.cluster(
                canary: Self.canaryJSON(phase: "Progressing", weight: 10, failed: 0, uid: "uid-new"),
                events: [
                    ClusterEvent(
                        uid: "e1",
                        involvedUID: "uid-new",
                        message: "Advance podinfo.apps canary weight 10",
                        time: "2026-11-28T00:00:01Z"
                    )
                ]
            )
        )
        let poller = CanaryPoller(
            name: "podinfo",
            namespace: "apps",
            target: .kind(name: "rollout-e2e"),
            runner: runner
        )
        let records = try await poller.poll(t: 0)

        let events = try #require(runner.commands.first { $0.arguments.contains("events") })
        #expect(
            events.words == [
                "kubectl", "--context", "kind-rollout-e2e", "--namespace", "apps", "get", "events",
                "--field-selector=involvedObject.uid=uid-new", "--output=json",
            ]
        )
        #expect(!events.arguments.contains { $0.contains("involvedObject.name") })
        #expect(events == poller.eventsCommand(uid: "uid-new"))
        guard case .canary(let observation) = try #require(records.first) else { return }
        #expect(observation.event == "Advance podinfo.apps canary weight 10")
    }

    @Test("an event of an earlier Canary with the same name does not reach the timeline")
    func staleEventsAreIgnored() async throws {
        // The previous scenario's Canary rolled back; its events outlive it (an hour) under the same name.
        let runner = RecordingCommandRunner(
            responder: Self.cluster(
                canary: Self.canaryJSON(phase: "Progressing", weight: 10, failed: 0, uid: "uid-new"),
                events: [
                    ClusterEvent(
                        uid: "e-old",
                        involvedUID: "uid-old",
                        message: "Rolling back podinfo.apps failed checks threshold reached 2",
                        time: "2026-11-28T00:00:00Z"
                    ),
                    ClusterEvent(
                        uid: "e-new",
                        involvedUID: "uid-new",
                        message: "New revision detected! Scaling up podinfo.apps",
                        time: "2026-11-28T00:00:05Z"
                    ),
                ]
            )
        )
        let poller = CanaryPoller(
            name: "podinfo",
            namespace: "apps",
            target: .kind(name: "rollout-e2e"),
            runner: runner
        )
        let records = try await poller.poll(t: 0)
        let messages = records.compactMap { record -> String? in
            guard case .canary(let observation) = record else { return nil }
            return observation.event
        }
        #expect(messages == ["New revision detected! Scaling up podinfo.apps"])
    }

    @Test("a Canary without a uid yields its status but no events, since they could be an earlier Canary's")
    func noUIDNoEvents() async throws {
        let runner = RecordingCommandRunner(
            responder: Self.cluster(
                canary: Self.canaryJSON(phase: "Progressing", weight: 10, failed: 0, uid: nil),
                events: [
                    ClusterEvent(
                        uid: "e-old",
                        involvedUID: "uid-old",
                        message: "Rolling back podinfo.apps failed checks threshold reached 2",
                        time: "2026-11-28T00:00:00Z"
                    )
                ]
            )
        )
        let poller = CanaryPoller(
            name: "podinfo",
            namespace: "apps",
            target: .kind(name: "rollout-e2e"),
            runner: runner
        )
        let records = try await poller.poll(t: 0)
        #expect(
            records.map(\.jsonLine) == [
                #"{"t":0,"phase":"Progressing","canaryWeight":10,"routerWeight":0,"failedChecks":0,"iterations":0}"#
            ]
        )
        #expect(!runner.commands.contains { $0.arguments.contains("events") })
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
