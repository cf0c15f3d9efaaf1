import CurlHTTP
import Foundation

#if canImport(Glibc)
    /// `SOCK_STREAM`: an enum case in Glibc, an `Int32` in Darwin.
    private let streamSocket = Int32(SOCK_STREAM.rawValue)
#else
    private let streamSocket = SOCK_STREAM
#endif

/// `make bench`, section "podinfo": cold start of the built `podinfo` to its first `/readyz` 200, then requests/s and
/// latency of `GET /` and `GET /status/200` at concurrency 32 driven by the CurlHTTP load generator.
func runPodinfoBench() async throws {
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("podinfo").path
    guard FileManager.default.isExecutableFile(atPath: binary) else {
        throw PodinfoBenchError("podinfo not found at \(binary); build it with `swift build -c release`")
    }

    var starts: [Duration] = []
    for _ in 0..<5 {
        let server = try BenchPodinfo(binary: binary)
        defer { server.stop() }
        starts.append(try await server.waitUntilReady())
    }
    starts.sort()
    print(
        "   cold start to /readyz 200: median \(podinfoMilliseconds(starts[starts.count / 2])), "
            + "max \(podinfoMilliseconds(starts.last!)) over \(starts.count) starts (target < 500 ms)"
    )

    let server = try BenchPodinfo(binary: binary)
    defer { server.stop() }
    _ = try await server.waitUntilReady()
    let concurrency = 32
    let seconds = 3
    for path in ["/", "/status/200"] {
        let report = try await LoadGenerator(
            LoadSpec(
                url: "http://127.0.0.1:\(server.port)\(path)",
                mode: .concurrency(concurrency),
                limit: .duration(.seconds(seconds))
            )
        ).run()
        guard report.requests > 0, report.count(200) == report.requests else {
            throw PodinfoBenchError("GET \(path) got \(report.countsByStatus) and \(report.errors) errors")
        }
        print(
            "   GET \(path) c=\(concurrency) \(seconds) s: \(String(format: "%.0f", report.requestsPerSecond)) req/s, "
                + "p50 \(podinfoMilliseconds(report.p50)), p99 \(podinfoMilliseconds(report.p99)), "
                + "max \(podinfoMilliseconds(report.max)) (\(report.requests) requests)"
        )
    }
}

/// One `podinfo` process on a free port, output discarded.
private final class BenchPodinfo {
    let port: Int
    let process = Process()
    let started: ContinuousClock.Instant

    init(binary: String) throws {
        port = try podinfoFreePort()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--host", "127.0.0.1", "--port", String(port), "--data-path", NSTemporaryDirectory()]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        started = .now
        try process.run()
    }

    /// Polls `/readyz` every millisecond; returns the time from spawn to the first 200.
    func waitUntilReady() async throws -> Duration {
        let deadline = started + .seconds(10)
        while ContinuousClock.now < deadline {
            if let response = try? await HTTPClient.shared.get("http://127.0.0.1:\(port)/readyz", timeout: .seconds(1)),
                response.status == 200
            {
                return ContinuousClock.now - started
            }
            try await Task.sleep(for: .milliseconds(1))
        }
        throw PodinfoBenchError("podinfo on port \(port) was not ready within 10 s")
    }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
    }
}

private struct PodinfoBenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

private func podinfoMilliseconds(_ duration: Duration) -> String {
    let milliseconds = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    return String(format: "%.1f ms", milliseconds)
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
private func podinfoFreePort() throws -> Int {
    let descriptor = socket(AF_INET, streamSocket, 0)
    guard descriptor >= 0 else { throw PodinfoBenchError("socket() failed: errno \(errno)") }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
        }
    }
    guard bound else { throw PodinfoBenchError("bind(127.0.0.1:0) failed: errno \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
}
