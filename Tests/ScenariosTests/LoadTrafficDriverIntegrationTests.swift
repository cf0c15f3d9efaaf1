import Foundation
import ObjectModel
import Scenarios
import TestSupport
import Testing

/// The traffic half of the timeline against a real podinfo: status, served version and per-second aggregation.
struct LoadTrafficDriverIntegrationTests {
    @Test func samplesCarryStatusVersionAndTheLoadsName() async throws {
        let port = try freePort()
        let podinfo = try BackgroundProcess(
            BuiltProducts.executable("podinfo"),
            ["--port=\(port)", "--set-version=6.0.1"]
        )
        defer { _ = podinfo.stop() }
        #expect(waitUntil(timeout: 10) { isListening(port: port) }, "podinfo did not listen: \(podinfo.output)")
        let driver = LoadTrafficDriver(baseURL: "http://127.0.0.1:\(port)", clock: ScenarioClock())
        try driver.start(
            TrafficLoad(name: "users", path: "/", host: "app.example.com", rate: 50, duration: .seconds(1))
        )
        try driver.start(TrafficLoad(name: "errors", path: "/status/500", host: "app.example.com", concurrency: 1))
        #expect(throws: ScenarioBackendError.self) {
            try driver.start(TrafficLoad(name: "users", path: "/", host: "x", concurrency: 1))
        }
        await driver.finish("users")
        await driver.stop("errors")
        let samples = driver.samples()
        let users = samples.filter { $0.run == "users" }
        let served = users.reduce(0) { $0 + $1.sample.count }
        #expect((40...60).contains(served), "\(served) responses at 50/s for 1s")
        #expect(Set(users.map(\.sample.status)) == [200])
        #expect(Set(users.compactMap(\.sample.version)) == ["6.0.1"])
        let errors = samples.filter { $0.run == "errors" }
        #expect(!errors.isEmpty && errors.allSatisfy { $0.sample.status == 500 })
        // One sample per second, status and version: counts aggregate.
        let keys = samples.map { "\($0.run) \($0.sample.t) \($0.sample.status) \($0.sample.version ?? "-")" }
        #expect(Set(keys).count == keys.count)
        #expect(driver.errors().isEmpty)
    }
}
