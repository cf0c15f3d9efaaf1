/// `analysis.alerts[]`: who is told about the canary, filtered by severity (spec/flagger.md §1.3, §6).
public struct CanaryAlert: Codable, Sendable, Hashable {
    public var name: String
    /// `info`, `warn` or `error`; an empty severity never fires (spec/flagger.md Q11).
    public var severity: String?
    public var providerRef: ProviderReference

    /// The AlertProvider an alert is sent through; `namespace` defaults to the canary's.
    public struct ProviderReference: Codable, Sendable, Hashable {
        public var name: String
        public var namespace: String?

        public init(name: String, namespace: String? = nil) {
            self.name = name
            self.namespace = namespace
        }
    }

    public init(name: String, severity: String?, providerRef: ProviderReference) {
        self.name = name
        self.severity = severity
        self.providerRef = providerRef
    }
}
