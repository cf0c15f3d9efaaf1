/// The result of one tick.
public struct TickOutcome: Sendable, Hashable {
    public var state: CanaryState
    public var actions: [CanaryAction]
    /// Why things happened, in words (only filled when the tick was run with `explain`).
    public var notes: [String]

    /// The event messages of the tick, in order.
    public var events: [String] {
        actions.compactMap {
            if case .event(let event) = $0 { return event.message }
            return nil
        }
    }

    /// The alerts of the tick, in order.
    public var alerts: [CanaryAlertMessage] {
        actions.compactMap {
            if case .alert(let alert) = $0 { return alert }
            return nil
        }
    }
}
