import CurlHTTP
import Foundation
import TestSupport
import Testing

/// podinfo's SIGTERM sequence: probes 503 at once, a 3 s grace (none at debug level), in-flight requests drain within
/// `--server-shutdown-timeout` of the signal, exit 0; a second signal exits 1.
struct PodinfoShutdownIntegrationTests {
    @Test func probesFailAtOnceWhileOtherRoutesServeDuringTheGrace() async throws {
        let podinfo = try await PodinfoProcess()
        let signalled = ContinuousClock.now
        kill(podinfo.process.pid, SIGTERM)
        #expect(await eventually(timeout: .seconds(2)) { (try? await podinfo.get("/readyz"))?.status == 503 })
        #expect(try await podinfo.get("/healthz").status == 503)
        #expect(try await podinfo.get("/version").status == 200)
        #expect(await eventually(timeout: .seconds(10)) { !podinfo.process.isRunning })
        #expect(ContinuousClock.now - signalled >= .milliseconds(2900))
        #expect(podinfo.process.process.terminationStatus == 0)
        #expect(podinfo.process.output.contains(#""msg":"Shutting down HTTP/HTTPS server","timeout":5"#))
    }

    @Test func inFlightRequestsFinishBeforeExit() async throws {
        let podinfo = try await PodinfoProcess(["--level", "debug"])
        let slow = Task { try await podinfo.get("/delay/2") }
        #expect(await eventually(timeout: .seconds(5)) { podinfo.process.output.contains(#""uri":"/delay/2""#) })
        kill(podinfo.process.pid, SIGTERM)
        #expect(await eventually(timeout: .seconds(2)) { !isListening(port: podinfo.port) })
        let response = try await slow.value
        #expect(response.status == 200)
        #expect(response.text == "{\n  \"delay\": 2\n}")
        #expect(await eventually(timeout: .seconds(5)) { !podinfo.process.isRunning })
        #expect(podinfo.process.process.terminationStatus == 0)
    }

    @Test func drainingStopsAtTheShutdownTimeout() async throws {
        let podinfo = try await PodinfoProcess(["--level=debug", "--server-shutdown-timeout=1s"])
        let slow = Task { try await podinfo.get("/delay/20") }
        #expect(await eventually(timeout: .seconds(5)) { podinfo.process.output.contains(#""uri":"/delay/20""#) })
        let signalled = ContinuousClock.now
        kill(podinfo.process.pid, SIGTERM)
        #expect(await eventually(timeout: .seconds(5)) { !podinfo.process.isRunning })
        #expect(ContinuousClock.now - signalled < .seconds(4))
        #expect(podinfo.process.process.terminationStatus == 0)
        #expect(podinfo.process.output.contains("HTTP server graceful shutdown failed"))
        await #expect(throws: HTTPClientError.self) { try await slow.value }
    }

    @Test func aSecondSignalExitsWithOne() async throws {
        let podinfo = try await PodinfoProcess()
        kill(podinfo.process.pid, SIGTERM)
        #expect(await eventually(timeout: .seconds(2)) { (try? await podinfo.get("/readyz"))?.status == 503 })
        let status = podinfo.process.stop(signal: SIGINT, timeout: 2)
        #expect(status == 1)
    }
}
