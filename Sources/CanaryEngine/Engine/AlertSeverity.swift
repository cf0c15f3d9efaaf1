/// Alert severities (`flaggerv1.AlertSeverity`).
public enum AlertSeverity: String, Sendable, Hashable {
    case info
    case warn
    case error

    /// Whether an `analysis.alerts` entry with `entrySeverity` receives an alert of this severity (events.go:102-117):
    /// `info` receives everything, `warn` receives warn and error, `error` only error; an empty severity nothing.
    public func isDelivered(to entrySeverity: String) -> Bool {
        switch entrySeverity {
        case "info": true
        case "warn": self == .warn || self == .error
        case "error": self == .error
        default: false
        }
    }
}
