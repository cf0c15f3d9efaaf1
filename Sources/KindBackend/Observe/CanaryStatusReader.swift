import Foundation
import ObjectModel

/// Reads what kubectl prints about a Canary into timeline observations (DESIGN.md §5).
public enum CanaryStatusReader {
    /// `status` of `kubectl get canary NAME -o json`, with the router weight read from the canary Ingress.
    public static func observation(canaryJSON: String, canaryIngressJSON: String?, t: Double) throws
        -> CanaryObservation
    {
        let canary = try object(canaryJSON, what: "canary")
        let status = canary["status"] as? [String: Any] ?? [:]
        return CanaryObservation(
            t: t,
            phase: status["phase"] as? String ?? "",
            canaryWeight: int(status["canaryWeight"]),
            routerWeight: canaryIngressJSON.map { routerWeight(ingressJSON: $0) } ?? 0,
            failedChecks: int(status["failedChecks"]),
            iterations: int(status["iterations"])
        )
    }

    /// The name of the Ingress Flagger clones for the canary: `<ingressRef>-canary` (spec/flagger.md §5).
    public static func canaryIngressName(canaryJSON: String) -> String? {
        guard let canary = try? object(canaryJSON, what: "canary"),
            let spec = canary["spec"] as? [String: Any],
            let ingressRef = spec["ingressRef"] as? [String: Any],
            let name = ingressRef["name"] as? String
        else { return nil }
        return name + "-canary"
    }

    /// The Canary's `metadata.uid`, which tells it apart from an earlier Canary of the same name (its events are
    /// selected by it); nil when the JSON has none.
    public static func uid(canaryJSON: String) -> String? {
        guard let canary = try? object(canaryJSON, what: "canary"),
            let metadata = canary["metadata"] as? [String: Any],
            let uid = metadata["uid"] as? String, !uid.isEmpty
        else { return nil }
        return uid
    }

    /// The weight ingress-nginx applies: 100 while header or cookie routing is set (A/B), else `canary-weight`,
    /// and 0 when the Ingress is not a canary (spec/flagger.md §5, kind-stack.md §2.3).
    public static func routerWeight(ingressJSON: String) -> Int {
        guard let ingress = try? object(ingressJSON, what: "ingress"),
            let metadata = ingress["metadata"] as? [String: Any],
            let annotations = metadata["annotations"] as? [String: String]
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
        let list = try object(eventsJSON, what: "events")
        let items = list["items"] as? [[String: Any]] ?? []
        return items.compactMap { item -> Event? in
            let metadata = item["metadata"] as? [String: Any] ?? [:]
            guard let message = item["message"] as? String else { return nil }
            let uid = metadata["uid"] as? String ?? message
            let time = item["lastTimestamp"] as? String ?? item["eventTime"] as? String ?? ""
            // A repeated event keeps its uid and bumps its count; count it as new.
            let count = int(item["count"])
            return Event(uid: "\(uid)#\(count)", message: message, time: time)
        }.sorted { $0.time < $1.time }
    }

    private static func object(_ json: String, what: String) throws -> [String: Any] {
        guard let value = try? JSONSerialization.jsonObject(with: Data(json.utf8)),
            let object = value as? [String: Any]
        else {
            throw KindBackendError(.commandFailed, "kubectl printed no JSON \(what): \(json.prefix(200))")
        }
        return object
    }

    private static func int(_ value: Any?) -> Int {
        if let value = value as? Int { return value }
        if let value = value as? NSNumber { return value.intValue }
        return 0
    }
}
