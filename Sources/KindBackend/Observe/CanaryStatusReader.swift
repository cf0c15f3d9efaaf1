import Foundation
import ObjectModel

/// Reads what kubectl prints about a Canary into timeline observations (DESIGN.md §5). The JSON is decoded into the
/// few fields read here (typed, unknown fields ignored), so a missing field reads as Kubernetes' zero value.
public enum CanaryStatusReader {
    /// `status` of `kubectl get canary NAME -o json`, with the router weight read from the canary Ingress.
    public static func observation(canaryJSON: String, canaryIngressJSON: String?, t: Double) throws
        -> CanaryObservation
    {
        let canary = try decode(CanaryJSON.self, canaryJSON, what: "canary")
        let status = canary.status ?? CanaryJSON.Status()
        return CanaryObservation(
            t: t,
            phase: status.phase ?? "",
            canaryWeight: status.canaryWeight ?? 0,
            routerWeight: canaryIngressJSON.map { routerWeight(ingressJSON: $0) } ?? 0,
            failedChecks: status.failedChecks ?? 0,
            iterations: status.iterations ?? 0
        )
    }

    /// The name of the Ingress Flagger clones for the canary: `<ingressRef>-canary` (spec/flagger.md §5).
    public static func canaryIngressName(canaryJSON: String) -> String? {
        guard let name = (try? decode(CanaryJSON.self, canaryJSON, what: "canary"))?.spec?.ingressRef?.name else {
            return nil
        }
        return name + "-canary"
    }

    /// The Canary's `metadata.uid`, which tells it apart from an earlier Canary of the same name (its events are
    /// selected by it); nil when the JSON has none.
    public static func uid(canaryJSON: String) -> String? {
        guard let uid = (try? decode(CanaryJSON.self, canaryJSON, what: "canary"))?.metadata?.uid, !uid.isEmpty
        else { return nil }
        return uid
    }

    /// The weight ingress-nginx applies: 100 while header or cookie routing is set (A/B), else `canary-weight`,
    /// and 0 when the Ingress is not a canary (spec/flagger.md §5, kind-stack.md §2.3).
    public static func routerWeight(ingressJSON: String) -> Int {
        guard let annotations = (try? decode(IngressJSON.self, ingressJSON, what: "ingress"))?.metadata?.annotations
        else { return 0 }
        return NginxCanaryAnnotations(annotations).routerWeight
    }

    /// One Kubernetes Event about a Canary.
    public struct Event: Sendable, Hashable {
        public var uid: String
        public var message: String
        /// `lastTimestamp`, else `eventTime`, as written (RFC 3339), for ordering.
        public var time: String
    }

    /// The events of `kubectl get events -o json`, oldest first.
    public static func events(eventsJSON: String) throws -> [Event] {
        let list = try decode(EventListJSON.self, eventsJSON, what: "events")
        return (list.items ?? []).compactMap { item -> Event? in
            guard let message = item.message else { return nil }
            let uid = item.metadata?.uid ?? message
            let time = item.lastTimestamp ?? item.eventTime ?? ""
            // A repeated event keeps its uid and bumps its count; count it as new.
            return Event(uid: "\(uid)#\(item.count ?? 0)", message: message, time: time)
        }.sorted { $0.time < $1.time }
    }

    // MARK: The fields read from kubectl's JSON

    struct Metadata: Decodable {
        var uid: String?
        var annotations: [String: String]?
    }

    struct CanaryJSON: Decodable {
        struct Status: Decodable {
            var phase: String?
            var canaryWeight: Int?
            var failedChecks: Int?
            var iterations: Int?
        }
        struct Spec: Decodable {
            struct Reference: Decodable { var name: String? }
            var ingressRef: Reference?
        }
        var metadata: Metadata?
        var spec: Spec?
        var status: Status?
    }

    struct IngressJSON: Decodable {
        var metadata: Metadata?
    }

    struct EventListJSON: Decodable {
        struct Item: Decodable {
            var metadata: Metadata?
            var message: String?
            var lastTimestamp: String?
            var eventTime: String?
            var count: Int?
        }
        var items: [Item]?
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ json: String, what: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(json.utf8))
        } catch {
            throw KindBackendError(.commandFailed, "kubectl printed no JSON \(what): \(json.prefix(200))")
        }
    }
}
