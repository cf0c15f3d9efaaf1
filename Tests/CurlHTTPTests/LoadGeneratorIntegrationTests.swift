import CurlHTTP
import Foundation
import Synchronization
import TestSupport
import Testing

/// The load generator against a real nginx on 127.0.0.1.
@Suite struct LoadGeneratorIntegrationTests {
    static func startNginx() throws -> NginxServer {
        try NginxServer(
            serverBody: """
                location = /ok { return 200 'ok'; }
                location = /mixed {
                    if ($bucket = fail) { return 500 'fail'; }
                    return 200 'ok';
                }
                """,
            extraHTTP: """
                split_clients "${request_id}" $bucket {
                    30% fail;
                    * pass;
                }
                server {
                    listen 127.0.0.1:{port};
                    server_name canary.example.test;
                    location / { return 200 '{"version":"6.1.0"}'; }
                }
                """
        )
    }

    @Test func requestCountLimitGetsExactlyThatManyResponses() async throws {
        let nginx = try Self.startNginx()
        defer { nginx.stop() }
        let samples = Mutex(0)
        let generator = LoadGenerator(
            LoadSpec(url: nginx.url("/ok"), mode: .concurrency(8), limit: .requests(500))
        ) { _ in samples.withLock { $0 += 1 } }
        let report = try await generator.run()
        #expect(report.requests == 500)
        #expect(report.count(200) == 500)
        #expect(report.countsByStatus.count == 1)
        #expect(report.errors == 0)
        #expect(samples.withLock { $0 } == 500)
        #expect(report.requestsPerSecond > 0)
        #expect(report.p50 > .zero)
        #expect(report.p50 <= report.p90 && report.p90 <= report.p99 && report.p99 <= report.max)
    }

    @Test func keepAliveOpensAtMostOneConnectionPerSlot() async throws {
        let nginx = try Self.startNginx()
        defer { nginx.stop() }
        let report = try await LoadGenerator(
            LoadSpec(url: nginx.url("/ok"), mode: .concurrency(4), limit: .requests(400))
        ).run()
        #expect(report.requests == 400)
        #expect(report.connectionsOpened >= 1)
        #expect(report.connectionsOpened <= 4)
    }

    @Test func countsResponsesByStatus() async throws {
        let nginx = try Self.startNginx()
        defer { nginx.stop() }
        let report = try await LoadGenerator(
            LoadSpec(url: nginx.url("/mixed"), mode: .concurrency(4), limit: .requests(1000))
        ).run()
        #expect(report.requests == 1000)
        #expect(report.count(200) + report.count(500) == 1000)
        // split_clients sends 30 % to the failing bucket; 1,000 requests land well inside 20–40 %.
        #expect((200...400).contains(report.count(500)))
        #expect(Set(report.countsByStatus.keys) == [200, 500])
    }

    @Test func rateModeHoldsTheRate() async throws {
        let nginx = try Self.startNginx()
        defer { nginx.stop() }
        let starts = Mutex([Duration]())
        let report = try await LoadGenerator(
            LoadSpec(url: nginx.url("/ok"), mode: .rate(200, maxInFlight: 16), limit: .duration(.seconds(1)))
        ) { sample in starts.withLock { $0.append(sample.start) } }
        .run()
        // 200 requests/s for 1 s: the schedule fixes the count, whatever the machine's speed.
        #expect((199...201).contains(report.requests))
        #expect(report.count(200) == report.requests)
        #expect(report.requestsPerSecond > 150 && report.requestsPerSecond < 250)
        let sorted = starts.withLock { $0 }.sorted()
        #expect(sorted.last.map { $0 < .seconds(1) } == true)
        // Due times are 5 ms apart, whenever the responses came.
        #expect(sorted.count == report.requests)
        if sorted.count > 100 {
            let span = sorted[100] - sorted[0]
            #expect(span > .microseconds(499_999) && span < .microseconds(500_001))
        }
    }

    @Test func transportErrorsAreCountedWithStatusZero() async throws {
        let port = try freePort()
        let statuses = Mutex([Int]())
        let report = try await LoadGenerator(
            LoadSpec(url: "http://127.0.0.1:\(port)/", mode: .concurrency(2), limit: .requests(20))
        ) { sample in statuses.withLock { $0.append(sample.status) } }
        .run()
        #expect(report.requests == 20)
        #expect(report.errors == 20)
        #expect(report.countsByStatus.isEmpty)
        #expect(statuses.withLock { $0 } == Array(repeating: 0, count: 20))
    }

    @Test func hostOverrideAndBodySamples() async throws {
        let nginx = try Self.startNginx()
        defer { nginx.stop() }
        let bodies = Mutex(Set<String>())
        let report = try await LoadGenerator(
            LoadSpec(
                url: nginx.url("/"),
                host: "canary.example.test",
                mode: .concurrency(2),
                limit: .requests(50),
                sampleBody: true
            )
        ) { sample in
            bodies.withLock { _ = $0.insert(String(decoding: sample.bodySample ?? [], as: UTF8.self)) }
        }
        .run()
        #expect(report.count(200) == 50)
        #expect(bodies.withLock { $0 } == [#"{"version":"6.1.0"}"#])
    }

    @Test func stopEndsARunEarly() async throws {
        let nginx = try Self.startNginx()
        defer { nginx.stop() }
        let seen = Atomic(0)
        let generator = LoadGenerator(
            LoadSpec(url: nginx.url("/ok"), mode: .concurrency(4), limit: .duration(.seconds(60)))
        ) { _ in seen.add(1, ordering: .relaxed) }
        let clock = ContinuousClock()
        let started = clock.now
        let run = Task { try await generator.run() }
        let busy = try await eventually(timeout: .seconds(10)) { seen.load(ordering: .relaxed) >= 100 }
        #expect(busy)
        generator.stop()
        let report = try await run.value
        #expect(clock.now - started < .seconds(20))
        #expect(report.requests >= 100)
        #expect(report.elapsed < .seconds(20))
    }

    @Test func stopBeforeRunReturnsAnEmptyReport() async throws {
        let nginx = try Self.startNginx()
        defer { nginx.stop() }
        let generator = LoadGenerator(
            LoadSpec(url: nginx.url("/ok"), mode: .concurrency(4), limit: .duration(.seconds(60)))
        )
        generator.stop()
        let report = try await generator.run()
        #expect(report.requests == 0)
        #expect(report.countsByStatus.isEmpty)
    }

    @Test func cancellingTheCallerEndsARunEarly() async throws {
        let nginx = try Self.startNginx()
        defer { nginx.stop() }
        let seen = Atomic(0)
        let generator = LoadGenerator(
            LoadSpec(url: nginx.url("/ok"), mode: .rate(100, maxInFlight: 4), limit: .duration(.seconds(60)))
        ) { _ in seen.add(1, ordering: .relaxed) }
        let run = Task { try await generator.run() }
        let busy = try await eventually(timeout: .seconds(10)) { seen.load(ordering: .relaxed) >= 10 }
        #expect(busy)
        run.cancel()
        let report = try await run.value
        #expect(report.requests >= 10)
        #expect(report.elapsed < .seconds(20))
    }

    @Test func aGeneratorRunsOnlyOnce() async throws {
        let nginx = try Self.startNginx()
        defer { nginx.stop() }
        let generator = LoadGenerator(LoadSpec(url: nginx.url("/ok"), mode: .concurrency(1), limit: .requests(1)))
        #expect(try await generator.run().requests == 1)
        let error = await #expect(throws: HTTPClientError.self) { _ = try await generator.run() }
        #expect(error?.code == .invalidRequest)
    }

    @Test(arguments: [
        LoadSpec.Mode.concurrency(0), .rate(0, maxInFlight: 4), .rate(10, maxInFlight: 0), .rate(.nan, maxInFlight: 1),
    ])
    func impossibleSpecsAreRejected(mode: LoadSpec.Mode) async throws {
        let generator = LoadGenerator(LoadSpec(url: "http://127.0.0.1:1/", mode: mode, limit: .requests(1)))
        let error = await #expect(throws: HTTPClientError.self) { _ = try await generator.run() }
        #expect(error?.code == .invalidRequest)
    }
}
