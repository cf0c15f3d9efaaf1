import CanaryEngine
import ObjectModel

extension Ingress {
    /// `<ingress>-canary`, the Ingress Flagger's NGINX router derives from this one for `canary` (pkg/router/ingress.go
    /// `Reconcile`, spec/flagger.md §5): the apex Service's backends pointed at `<apex>-canary`, and the router's
    /// annotations for `routes`.
    func canaryIngress(for canary: Canary, routes: NginxRoutes) -> Ingress {
        var copy = self
        let apex = canary.serviceName
        copy.metadata = ObjectMeta(
            name: "\(metadata.name)-canary",
            namespace: metadata.namespace,
            labels: metadata.labels,
            annotations: NginxRouter.annotations(for: routes, original: metadata.annotations ?? [:])
        )
        copy.status = nil
        copy.spec.rules = spec.rules?.map { rule in
            var rule = rule
            let paths = rule.http?.paths.map { path in
                var path = path
                if path.backend.service?.name == apex { path.backend.service?.name = "\(apex)-canary" }
                return path
            }
            if let paths { rule.http?.paths = paths }
            return rule
        }
        return copy
    }
}
