import CanaryEngine
import ObjectModel
import Testing

/// spec/flagger.md §5 and §8 U19: the canary ingress annotations Flagger's NGINX router writes.
struct NginxRouterTests {
    static let p = NginxRouter.defaultPrefix

    @Test func reconcileCreatesAnIdleCanaryIngress() async {
        let routes = NginxRouter.reconcile(NginxRoutes())
        let annotations = NginxRouter.annotations(
            for: routes,
            original: [
                "kubernetes.io/ingress.class": "nginx", "\(Self.p)/canary-weight": "30",
                "kubectl.kubernetes.io/last-applied-configuration": "{}",
            ]
        )
        #expect(annotations["\(Self.p)/canary"] == "true")
        #expect(annotations["\(Self.p)/canary-weight"] == "0")
        #expect(annotations["kubernetes.io/ingress.class"] == "nginx")
        #expect(annotations["kubectl.kubernetes.io/last-applied-configuration"] == nil)
        #expect(annotations["kustomize.toolkit.fluxcd.io/reconcile"] == "disabled")
        #expect(annotations["helm.toolkit.fluxcd.io/driftDetection"] == "disabled")
        // A later reconcile leaves the routing alone.
        let weighted = NginxRouter.setRoutes(routes, canaryWeight: 40, match: [])
        #expect(NginxRouter.reconcile(weighted) == weighted)
    }

    @Test(arguments: [(50, "50"), (0, "0"), (100, "100")])
    func weightsBecomeTheCanaryWeightAnnotation(_ weight: Int, _ annotation: String) async {
        let routes = NginxRouter.setRoutes(NginxRoutes(exists: true, canaryWeight: 20), canaryWeight: weight, match: [])
        let annotations = NginxRouter.annotations(for: routes)
        #expect(annotations["\(Self.p)/canary-weight"] == annotation)
        #expect(annotations["\(Self.p)/canary"] == "true")
        #expect(NginxRouter.getRoutes(routes, match: []) == (100 - weight, weight))
    }

    struct MatchCase: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var match: StringMatch
        var header: String
        var annotation: String
    }

    @Test(arguments: [
        MatchCase(
            testDescription: "exact header",
            match: StringMatch(exact: "test"),
            header: "x-user",
            annotation: "canary-by-header-value"
        ),
        MatchCase(
            testDescription: "regex header",
            match: StringMatch(regex: "test"),
            header: "x-user",
            annotation: "canary-by-header-pattern"
        ),
        MatchCase(
            testDescription: "cookie",
            match: StringMatch(exact: "test"),
            header: "cookie",
            annotation: "canary-by-cookie"
        ),
    ])
    func abMatchesBecomeHeaderOrCookieRouting(_ testCase: MatchCase) {
        let match = [HTTPMatchRequest(headers: [testCase.header: testCase.match])]
        let routed = NginxRouter.setRoutes(NginxRoutes(exists: true), canaryWeight: 100, match: match)
        let annotations = NginxRouter.annotations(for: routed)
        #expect(annotations["\(Self.p)/\(testCase.annotation)"] == "test")
        if testCase.header != "cookie" {
            #expect(annotations["\(Self.p)/canary-by-header"] == "x-user")
        }
        #expect(annotations["\(Self.p)/canary-weight"] == "0", "the weight annotation is left as it was")
        #expect(NginxRouter.getRoutes(routed, match: match) == (0, 100))
        // Routing everything back to the primary removes the header routing.
        let back = NginxRouter.setRoutes(routed, canaryWeight: 0, match: match)
        #expect(!back.hasHeaderRouting)
        #expect(NginxRouter.annotations(for: back)["\(Self.p)/canary-by-header"] == nil)
        #expect(NginxRouter.getRoutes(back, match: match) == (100, 0))
    }

    @Test func abCanaryIngressFollowsTheEngine() async throws {
        let canary = try EngineFixtures.canary(
            EngineFixtures.canaryYAML(
                analysis:
                    "interval: 15s\nthreshold: 5\niterations: 3\nmatch:\n  - headers:\n      x-user:\n        exact: insider"
            )
        )
        let engine = CanaryEngine(canary: canary)
        var state = CanaryState()
        var v1 = FixedTickInputs(revision: "v1")
        var v2 = FixedTickInputs(revision: "v2")
        state = await engine.advance(state, inputs: &v1).state
        state = await engine.advance(state, inputs: &v2).state
        #expect(NginxRouter.annotations(for: state.routes)["\(Self.p)/canary-by-header"] == nil)
        state = await engine.advance(state, inputs: &v2).state
        let annotations = NginxRouter.annotations(for: state.routes)
        #expect(annotations["\(Self.p)/canary-by-header"] == "x-user")
        #expect(annotations["\(Self.p)/canary-by-header-value"] == "insider")
    }
}

/// spec/flagger.md §3.1 and §8 U20: the exact PromQL of the builtin NGINX metrics, and template rendering.
struct MetricQueriesTests {
    @Test func builtinQueriesMatchFlaggersWireStrings() async {
        #expect(
            MetricQueries.nginx(metric: "request-success-rate", namespace: "nginx", ingress: "podinfo", interval: "1m")
                == " sum( rate( nginx_ingress_controller_requests{ namespace=\"nginx\", ingress=\"podinfo\", canary!=\"\", "
                + "status!~\"5.*\" }[1m] ) ) / sum( rate( nginx_ingress_controller_requests{ namespace=\"nginx\", "
                + "ingress=\"podinfo\", canary!=\"\" }[1m] ) ) * 100"
        )
        #expect(
            MetricQueries.nginx(metric: "request-duration", namespace: "nginx", ingress: "podinfo", interval: "1m")
                == " sum( rate( nginx_ingress_controller_response_duration_seconds_sum{ namespace=\"nginx\", "
                + "ingress=\"podinfo\", canary!=\"\" }[1m] ) ) / sum( rate( "
                + "nginx_ingress_controller_response_duration_seconds_count{ namespace=\"nginx\", ingress=\"podinfo\", "
                + "canary!=\"\" }[1m] ) ) * 1000"
        )
        #expect(MetricQueries.nginx(metric: "latency", namespace: "n", ingress: "i", interval: "1m") == nil)
    }

    @Test func templatesRenderFlaggersVariables() async throws {
        let canary = try EngineFixtures.canary(EngineFixtures.canaryYAML(analysis: EngineFixtures.e2eAnalysis))
        let latency = try #require(canary.effectiveAnalysis?.metrics?.last)
        let query = try MetricQueries.render(
            "rate(x{ns=\"{{ namespace }}\", pod=~\"{{ target }}-.*\", path=\"{{ variables.path }}\"}[{{interval}}])",
            canary: canary,
            metric: latency
        )
        #expect(query == "rate(x{ns=\"test\", pod=~\"podinfo-.*\", path=\"root\"}[30s])")
        #expect(throws: MetricQueries.RenderError.self) {
            try MetricQueries.render("{{ variables.missing }}", canary: canary, metric: latency)
        }
        var noInterval = latency
        noInterval.interval = nil
        #expect(try MetricQueries.render("[{{ interval }}]", canary: canary, metric: noInterval) == "[]", "Q12")
    }
}
