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
}
