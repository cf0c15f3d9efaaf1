/// One alert Flagger sends (spec/flagger.md §6).
public struct CanaryAlertMessage: Sendable, Hashable {
    public var severity: AlertSeverity
    public var message: String
    /// `Target`, `Failed checks threshold`, `Progress deadline`, `Traffic routing` — only on the alerts Flagger
    /// sends with metadata.
    public var fields: [Field]
    /// Names of the `analysis.alerts` entries that receive it after the severity filter; `nil` when the canary
    /// has no alerts and the global notifier (Flagger's `-slack-url` flags) gets everything.
    public var recipients: [String]?

    public init(severity: AlertSeverity, message: String, fields: [Field] = [], recipients: [String]? = nil) {
        self.severity = severity
        self.message = message
        self.fields = fields
        self.recipients = recipients
    }

    /// A title/value pair of the alert's attachment.
    public struct Field: Sendable, Hashable {
        public var title: String
        public var value: String

        public init(_ title: String, _ value: String) {
            self.title = title
            self.value = value
        }
    }
}
