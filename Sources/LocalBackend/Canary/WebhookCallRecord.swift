import Synchronization

/// One webhook call the canary engine made: which hook, for which canary, in which phase, and what it answered.
public struct WebhookCallRecord: Sendable, Hashable {
    /// Seconds since the timeline's start, on the scaled clock.
    public var t: Double
    /// The webhook's `name` in the Canary.
    public var name: String
    /// Its type (`pre-rollout`, `rollout`, `confirm-promotion`, …).
    public var type: String
    public var canary: String
    public var namespace: String
    /// The phase sent in the payload.
    public var phase: String
    /// The HTTP status of the answer, 0 when none came.
    public var status: Int
}

/// Collects the calls of one tick, which runs on its own thread.
final class WebhookCallLog: Sendable {
    struct Call: Sendable {
        var name: String
        var type: String
        var phase: String
        var status: Int
    }

    private let entries = Mutex<[Call]>([])

    func note(name: String, type: String, phase: String, status: Int) {
        entries.withLock { $0.append(Call(name: name, type: type, phase: phase, status: status)) }
    }

    var calls: [Call] { entries.withLock { $0 } }
}
