/// The Flagger loadtester's gates (spec/flagger.md §4.2): in-memory per canary, closed by default.
public enum LoadtesterGate: String, Sendable, Hashable, CaseIterable {
    /// `/gate/check`: confirm-rollout, confirm-promotion and confirm-traffic-increase hooks pass while open.
    case confirm = "gate"
    /// `/rollback/check`: a rollback hook fails the canary while open.
    case rollback

    /// `/gate/open`, `/gate/close`, `/rollback/open` or `/rollback/close`.
    public func path(open: Bool) -> String { "/\(rawValue)/\(open ? "open" : "close")" }
}
