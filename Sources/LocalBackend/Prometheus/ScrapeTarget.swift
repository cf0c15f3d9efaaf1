/// One target of Prometheus' file-based discovery, labelled like Kubernetes pod scraping.
public struct ScrapeTarget: Sendable, Hashable, Encodable {
    public var targets: [String]
    public var labels: [String: String]

    public init(address: String, labels: [String: String]) {
        self.targets = [address]
        self.labels = labels
    }
}
