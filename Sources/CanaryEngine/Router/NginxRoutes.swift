import ObjectModel

/// The routing state of Flagger's NGINX provider: the canary-related annotations of `<ingress>-canary`
/// (pkg/router/ingress.go, spec/flagger.md §5). ``NginxRouter`` turns weights into this state and back;
/// ``canaryAnnotations`` is how it is written (``NginxCanaryAnnotations`` is the codec every module shares).
public struct NginxRoutes: Sendable, Hashable {
    /// Whether `Reconcile` has created the canary ingress.
    public var exists: Bool
    /// `canary-weight`.
    public var canaryWeight: Int
    /// `canary-by-header`.
    public var byHeader: String?
    /// `canary-by-header-value`.
    public var byHeaderValue: String?
    /// `canary-by-header-pattern`.
    public var byHeaderPattern: String?
    /// `canary-by-cookie`.
    public var byCookie: String?

    public init(
        exists: Bool = false,
        canaryWeight: Int = 0,
        byHeader: String? = nil,
        byHeaderValue: String? = nil,
        byHeaderPattern: String? = nil,
        byCookie: String? = nil
    ) {
        self.exists = exists
        self.canaryWeight = canaryWeight
        self.byHeader = byHeader
        self.byHeaderValue = byHeaderValue
        self.byHeaderPattern = byHeaderPattern
        self.byCookie = byCookie
    }

    /// Whether header or cookie routing annotations are set.
    public var hasHeaderRouting: Bool { canaryAnnotations.hasHeaderRouting }

    /// The annotations this state is written as on the canary ingress.
    public var canaryAnnotations: NginxCanaryAnnotations {
        NginxCanaryAnnotations(
            weight: canaryWeight,
            byHeader: byHeader,
            byHeaderValue: byHeaderValue,
            byHeaderPattern: byHeaderPattern,
            byCookie: byCookie
        )
    }
}
