/// ingress-nginx's canary annotations on an Ingress (spec/flagger.md §5, kind-stack.md §2.3): the one codec between
/// an Ingress' `<prefix>/canary*` annotations and their values. Flagger's NGINX router writes them, the local ingress
/// controller turns them into nginx config, and the kind backend reads the weight a cluster applies from them.
public struct NginxCanaryAnnotations: Sendable, Hashable {
    /// Flagger's default `-ingress-annotations-prefix`, and ingress-nginx's.
    public static let defaultPrefix = "nginx.ingress.kubernetes.io"

    /// `canary: "true"`: the Ingress is the canary of the Ingress with the same host and path.
    public var isCanary: Bool
    /// `canary-weight`.
    public var weight: Int
    /// `canary-weight-total` (at least 1; 100 when absent).
    public var weightTotal: Int
    /// `canary-by-header`.
    public var byHeader: String?
    /// `canary-by-header-value`.
    public var byHeaderValue: String?
    /// `canary-by-header-pattern`.
    public var byHeaderPattern: String?
    /// `canary-by-cookie`.
    public var byCookie: String?

    public init(
        isCanary: Bool = true,
        weight: Int = 0,
        weightTotal: Int = 100,
        byHeader: String? = nil,
        byHeaderValue: String? = nil,
        byHeaderPattern: String? = nil,
        byCookie: String? = nil
    ) {
        self.isCanary = isCanary
        self.weight = weight
        self.weightTotal = weightTotal
        self.byHeader = byHeader
        self.byHeaderValue = byHeaderValue
        self.byHeaderPattern = byHeaderPattern
        self.byCookie = byCookie
    }

    /// Reads an Ingress' annotations. Empty values count as absent, as ingress-nginx reads them; a weight that is not
    /// an integer is 0.
    public init(_ annotations: [String: String], prefix: String = defaultPrefix) {
        func value(_ name: String) -> String? {
            guard let text = annotations["\(prefix)/\(name)"], !text.isEmpty else { return nil }
            return text
        }
        self.init(
            isCanary: value("canary") == "true",
            weight: value("canary-weight").flatMap { Int($0) } ?? 0,
            weightTotal: value("canary-weight-total").flatMap { Int($0) }.map { max($0, 1) } ?? 100,
            byHeader: value("canary-by-header"),
            byHeaderValue: value("canary-by-header-value"),
            byHeaderPattern: value("canary-by-header-pattern"),
            byCookie: value("canary-by-cookie")
        )
    }

    /// `original` with every `<prefix>/canary*` key replaced by these values. `canary-weight-total` is written only
    /// when it is not the default 100, as Flagger leaves it out.
    public func annotations(merging original: [String: String] = [:], prefix: String = defaultPrefix)
        -> [String: String]
    {
        var result = original.filter { !$0.key.hasPrefix("\(prefix)/canary") }
        if isCanary { result["\(prefix)/canary"] = "true" }
        result["\(prefix)/canary-weight"] = String(weight)
        if weightTotal != 100 { result["\(prefix)/canary-weight-total"] = String(weightTotal) }
        if let byHeader { result["\(prefix)/canary-by-header"] = byHeader }
        if let byHeaderValue { result["\(prefix)/canary-by-header-value"] = byHeaderValue }
        if let byHeaderPattern { result["\(prefix)/canary-by-header-pattern"] = byHeaderPattern }
        if let byCookie { result["\(prefix)/canary-by-cookie"] = byCookie }
        return result
    }

    /// Whether header or cookie routing is set.
    public var hasHeaderRouting: Bool { byHeader != nil || byCookie != nil }

    /// The share of requests (0…100 %) the weight sends to the canary.
    public var weightPercent: Double {
        min(100, max(0, Double(weight) * 100 / Double(weightTotal)))
    }

    /// The canary weight the router reports (Flagger's `GetRoutes` for NGINX): 0 when the Ingress is not a canary,
    /// 100 while header or cookie routing is set (A/B), else `canary-weight`.
    public var routerWeight: Int {
        guard isCanary else { return 0 }
        return hasHeaderRouting ? 100 : weight
    }
}
