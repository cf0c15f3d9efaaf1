import CurlHTTP
import Foundation
import TestSupport

/// A real `podinfo` process on a free port for one test; stopped (SIGKILL if need be) when released.
final class PodinfoProcess: Sendable {
    let port: Int
    let process: BackgroundProcess
    let dataPath: String

    var base: String { "http://127.0.0.1:\(port)" }

    /// Starts podinfo with `arguments` and `environment`, bound to 127.0.0.1, and waits until it accepts connections
    /// (and, with `waitForReady`, until `/readyz` answers 200).
    init(_ arguments: [String] = [], environment: [String: String] = [:], waitForReady: Bool = true) async throws {
        port = try freePort()
        dataPath = NSTemporaryDirectory() + "podinfo-data-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dataPath, withIntermediateDirectories: true)
        process = try BackgroundProcess(
            try BuiltProducts.executable("podinfo"),
            ["--host", "127.0.0.1", "--port", String(port), "--data-path", dataPath] + arguments,
            environment: environment
        )
        let target = "\(base)/readyz"
        let ready = await eventually(timeout: .seconds(10)) {
            guard let response = try? await HTTPClient.shared.get(target, timeout: .seconds(1)) else { return false }
            return !waitForReady || response.status == 200
        }
        guard ready else {
            process.stop(signal: SIGKILL)
            throw TestSupportError("podinfo did not come up on port \(port):\n\(process.output)")
        }
    }

    func get(_ path: String, headers: [HTTPHeader] = []) async throws -> HTTPResponse {
        try await HTTPClient.shared.get(base + path, headers: headers)
    }

    func send(_ method: String, _ path: String, body: String? = nil, headers: [HTTPHeader] = []) async throws
        -> HTTPResponse
    {
        try await HTTPClient.shared.send(
            HTTPRequest(method: method, url: base + path, headers: headers, body: body.map { Array($0.utf8) })
        )
    }

    /// The value of one sample line of `/metrics`, e.g. `http_requests_total{status="200"}`.
    func metric(_ series: String) async throws -> Double? {
        let text = try await get("/metrics").text
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    deinit {
        process.stop(signal: SIGKILL, timeout: 5)
        try? FileManager.default.removeItem(atPath: dataPath)
    }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes.
func eventually(timeout: Duration, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
