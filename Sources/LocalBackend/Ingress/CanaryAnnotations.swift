/// ingress-nginx's canary annotations on an Ingress (spec/flagger.md §5), read with the default prefix.
public struct CanaryAnnotations: Sendable, Hashable {
    public static let prefix = "nginx.ingress.kubernetes.io"

    public var isCanary: Bool
    public var weight: Int
    public var weightTotal: Int
    public var header: String?
    public var headerValue: String?
    public var headerPattern: String?
    public var cookie: String?

    public init(_ annotations: [String: String]) {
        func value(_ name: String) -> String? {
            guard let text = annotations["\(Self.prefix)/\(name)"], !text.isEmpty else { return nil }
            return text
        }
        isCanary = value("canary") == "true"
        weight = value("canary-weight").flatMap { Int($0) } ?? 0
        weightTotal = value("canary-weight-total").flatMap { Int($0) }.map { max($0, 1) } ?? 100
        header = value("canary-by-header")
        headerValue = value("canary-by-header-value")
        headerPattern = value("canary-by-header-pattern")
        cookie = value("canary-by-cookie")
    }

    /// The share of requests (0…100 %) the weight sends to the canary.
    public var weightPercent: Double {
        min(100, max(0, Double(weight) * 100 / Double(weightTotal)))
    }
}
