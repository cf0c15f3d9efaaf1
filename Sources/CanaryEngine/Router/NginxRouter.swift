import ObjectModel

/// Flagger's NGINX router as pure functions over ``NginxRoutes`` (spec/flagger.md §5): what `SetRoutes` writes,
/// what `GetRoutes` reads back, and the annotation map the canary ingress carries. The local ingress controller
/// and the engine share it, so both agree on what a weight means.
public enum NginxRouter {
    /// Flagger's default `-ingress-annotations-prefix`.
    public static let defaultPrefix = NginxCanaryAnnotations.defaultPrefix

    /// `Reconcile`: creates the canary ingress with `canary: "true"`, `canary-weight: "0"` when absent; later
    /// reconciles leave the annotations alone.
    public static func reconcile(_ routes: NginxRoutes) -> NginxRoutes {
        guard !routes.exists else { return routes }
        return NginxRoutes(exists: true)
    }

    /// `SetRoutes(_, canaryWeight, _)`: the primary weight and the mirror flag are ignored by this router.
    ///
    /// With `match`, header/cookie annotations are (re)written and the weight annotation is left as it was; then a
    /// canary weight of 0 resets everything to `makeAnnotations` (weight "0", no header routing).
    public static func setRoutes(_ routes: NginxRoutes, canaryWeight: Int, match: [HTTPMatchRequest]) -> NginxRoutes {
        var next = routes
        next.exists = true
        if match.isEmpty {
            next.canaryWeight = canaryWeight
        } else {
            for request in match {
                // Go ranges over a map in random order ("last header wins"); sorted keys keep this deterministic.
                for (header, value) in (request.headers ?? [:]).sorted(by: { $0.key < $1.key }) {
                    if header == "cookie" {
                        if let exact = value.exact, !exact.isEmpty { next.byCookie = exact }
                    } else {
                        next.byHeader = header
                        if let exact = value.exact, !exact.isEmpty { next.byHeaderValue = exact }
                        if let regex = value.regex, !regex.isEmpty { next.byHeaderPattern = regex }
                    }
                }
            }
        }
        if canaryWeight <= 0 {
            next = NginxRoutes(exists: true)
        }
        return next
    }

    /// `GetRoutes`: `(0, 100)` while header/cookie routing is set for an A/B canary, else `100 - w` and `w` from
    /// `canary-weight`. NGINX never reports mirroring.
    public static func getRoutes(_ routes: NginxRoutes, match: [HTTPMatchRequest]) -> (primary: Int, canary: Int) {
        if !match.isEmpty && routes.hasHeaderRouting { return (0, 100) }
        return (100 - routes.canaryWeight, routes.canaryWeight)
    }

    /// The canary ingress' annotations: the user's ingress annotations without `<prefix>/canary*` keys and
    /// `kubectl.kubernetes.io/last-applied-configuration`, Flux opt-outs, and the routing annotations.
    public static func annotations(
        for routes: NginxRoutes,
        original: [String: String] = [:],
        prefix: String = defaultPrefix
    ) -> [String: String] {
        var result = original.filter { $0.key != "kubectl.kubernetes.io/last-applied-configuration" }
        result["kustomize.toolkit.fluxcd.io/reconcile"] = "disabled"
        result["helm.toolkit.fluxcd.io/driftDetection"] = "disabled"
        return routes.canaryAnnotations.annotations(merging: result, prefix: prefix)
    }
}
