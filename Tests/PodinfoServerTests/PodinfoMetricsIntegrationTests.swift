import CurlHTTP
import Foundation
import TestSupport
import Testing

/// podinfo's two HTTP metrics as Prometheus and Flagger read them.
struct PodinfoMetricsIntegrationTests {
    @Test func requestsAreCountedWithPodinfosLabels() async throws {
        let podinfo = try await PodinfoProcess()
        _ = try await podinfo.get("/")
        _ = try await podinfo.get("/")
        _ = try await podinfo.get("/status/404")
        _ = try await podinfo.send("PUT", "/status/500")
        _ = try await podinfo.send("DELETE", "/cache/key")
        _ = try await podinfo.get("/unknown")
        let text = try await podinfo.get("/metrics").text
        #expect(text.contains("# TYPE http_request_duration_seconds histogram"))
        #expect(text.contains("# HELP http_request_duration_seconds Seconds spent serving HTTP requests."))
        #expect(text.contains("# TYPE http_requests_total counter"))
        let rootCount = try await podinfo.metric(
            #"http_request_duration_seconds_count{method="GET",path="root",status="200"}"#
        )
        #expect(rootCount == 2)
        #expect(text.contains(#"http_request_duration_seconds_count{method="GET",path="status",status="404"} 1"#))
        #expect(text.contains(#"http_request_duration_seconds_count{method="PUT",path="status",status="500"} 1"#))
        #expect(text.contains(#"http_request_duration_seconds_count{method="DELETE",path="cache_key",status="200"} 1"#))
        #expect(text.contains(#"http_requests_total{status="404"} 1"#))
        #expect(text.contains(#"http_requests_total{status="500"} 1"#))
        for bound in ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "+Inf"] {
            #expect(
                text.contains(
                    #"http_request_duration_seconds_bucket{method="GET",path="root",status="200",le="\#(bound)"} 2"#
                )
            )
        }
        #expect(!text.contains("unknown"), "unmatched routes are not recorded")
        #expect(text.contains("process_start_time_seconds"))
    }

    @Test func injectedDelayIsPartOfTheLatency() async throws {
        let podinfo = try await PodinfoProcess([
            "--random-delay", "--random-delay-unit=ms", "--random-delay-min=300", "--random-delay-max=301",
        ])
        let response = try await podinfo.get("/version")
        #expect(response.status == 200)
        #expect(response.latency >= .milliseconds(290))
        let sum = try #require(
            try await podinfo.metric(#"http_request_duration_seconds_sum{method="GET",path="version",status="200"}"#)
        )
        #expect(sum >= 0.3)
        let fast = try await podinfo.metric(
            #"http_request_duration_seconds_bucket{method="GET",path="version",status="200",le="0.25"}"#
        )
        #expect(fast == 0)
    }

    @Test func metricsPortServesMetricsAndAnAlwaysHealthyProbe() async throws {
        let metricsPort = try freePort()
        let podinfo = try await PodinfoProcess(
            ["--port-metrics", String(metricsPort), "--unhealthy"],
            waitForReady: true
        )
        _ = try await podinfo.get("/version")
        let scrape = try await HTTPClient.shared.get("http://127.0.0.1:\(metricsPort)/metrics")
        #expect(scrape.status == 200)
        #expect(
            scrape.text.contains(#"http_request_duration_seconds_count{method="GET",path="version",status="200"} 1"#)
        )
        let health = try await HTTPClient.shared.get("http://127.0.0.1:\(metricsPort)/healthz")
        #expect(health.status == 200 && health.text == "OK")
        #expect(try await podinfo.get("/healthz").status == 503)
        // Scrapes on the metrics port are not instrumented.
        #expect(!(try await podinfo.get("/metrics").text.contains(#"path="metrics""#)))
    }
}
