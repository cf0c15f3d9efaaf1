import ObjectModel
import YAML

/// One entry of a TICKS.yaml file (DESIGN.md §6): what changed before the tick and what the world answers during
/// it. Omitted fields mean healthy; `revision` and `configs` stick until changed again.
public struct TickSpec: Sendable, Hashable {
    /// The target's pod template changed to this revision before the tick.
    public var revision: String?
    /// The tracked ConfigMaps/Secrets changed to this checksum before the tick.
    public var configs: String?
    /// Metric values by metric name; `.noValues` for `null`.
    public var metrics: [String: MetricResult] = [:]
    /// Webhook answers by webhook name.
    public var webhooks: [String: WebhookAnswer] = [:]
    public var primaryReady = true
    public var canaryReady = true
    public var primaryDeadlineExceeded = false
    public var canaryDeadlineExceeded = false
    /// Where the entry starts in the ticks file.
    public var mark: Mark

    /// How a webhook answers in a tick.
    public enum WebhookAnswer: Sendable, Hashable {
        case status(Int)
        /// No answer within the hook's timeout.
        case timeout
    }

    public init(mark: Mark = Mark(line: 1, column: 1)) {
        self.mark = mark
    }
}
