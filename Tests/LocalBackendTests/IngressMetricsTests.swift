import Foundation
import LocalBackend
import Testing

/// The exposition Prometheus scrapes: a new series is seen at zero once, so `rate()` counts the request that made it.
@Suite struct IngressMetricsTests {
    private func line(status: String) throws -> AccessLogLine {
        let json = """
            {"namespace":"test","ingress":"podinfo-canary","service":"podinfo-canary","canary":"podinfo-canary",\
            "path":"/","host":"app.example.com","method":"GET","status":"\(status)","request_time":"0.004",\
            "upstream_time":"0.003"}
            """
        return try JSONDecoder().decode(AccessLogLine.self, from: Data(json.utf8))
    }

    private func requests(_ exposition: String, status: String) -> String? {
        exposition.split(separator: "\n")
            .first { $0.hasPrefix("nginx_ingress_controller_requests{") && $0.contains("status=\"\(status)\"") }
            .map { String($0.split(separator: " ").last ?? "") }
    }

    @Test func aNewSeriesIsScrapedAtZeroOnceThenWithItsCounts() throws {
        var metrics = IngressMetrics()
        metrics.record(try line(status: "200"))
        let first = metrics.scrapeExposition()
        #expect(requests(first, status: "200") == "0")
        #expect(first.contains(#"le="+Inf"} 0"#))
        metrics.record(try line(status: "200"))
        metrics.record(try line(status: "500"))
        let second = metrics.scrapeExposition()
        #expect(requests(second, status: "200") == "2")
        // The 500 series is new at this scrape: zero first, so its first error is an increase too.
        #expect(requests(second, status: "500") == "0")
        #expect(requests(metrics.scrapeExposition(), status: "500") == "1")
        // The plain rendering (tests, diagnostics) always shows the counts.
        #expect(requests(metrics.render(), status: "500") == "1")
    }

    /// A request the primary served on a route that has a canary creates the canary's series at zero, so the
    /// canary's first request is counted at the next scrape instead of the one after.
    @Test func theCanarySeriesOfARouteExistsAtZeroBeforeItsFirstRequest() throws {
        func logged(canary: String, service: String) throws -> AccessLogLine {
            let json = """
                {"namespace":"test","ingress":"podinfo","service":"\(service)","canary":"\(canary)",\
                "route_canary":"test-podinfo-canary-9898","route_canary_service":"podinfo-canary",\
                "path":"/","host":"app.example.com","method":"GET","status":"200","request_time":"0.004",\
                "upstream_time":"0.003"}
                """
            return try JSONDecoder().decode(AccessLogLine.self, from: Data(json.utf8))
        }
        func canaryRequests(_ exposition: String) -> String? {
            exposition.split(separator: "\n")
                .first {
                    $0.hasPrefix("nginx_ingress_controller_requests{")
                        && $0.contains(#"canary="test-podinfo-canary-9898""#)
                }
                .map { String($0.split(separator: " ").last ?? "") }
        }
        var metrics = IngressMetrics()
        metrics.record(try logged(canary: "", service: "podinfo-primary"))
        let before = metrics.scrapeExposition()
        #expect(canaryRequests(before) == "0")
        #expect(before.contains(#"service="podinfo-canary""#))
        #expect(metrics.requestCount { _, canary, _ in !canary.isEmpty } == 0)
        metrics.record(try logged(canary: "test-podinfo-canary-9898", service: "podinfo-canary"))
        #expect(canaryRequests(metrics.scrapeExposition()) == "1", "the first canary request shows at the next scrape")
    }
}
