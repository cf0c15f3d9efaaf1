import CurlHTTP
import Foundation
import TestSupport
import Testing

/// `/cache/{key}` against a real `redis-server`, and without one.
struct PodinfoCacheIntegrationTests {
    @Test func cacheRoutesStoreReadAndDeleteInRedis() async throws {
        let redis = try RedisServer()
        let podinfo = try await PodinfoProcess(
            ["--cache-server", "tcp://127.0.0.1:\(redis.port)"],
            environment: ["HOSTNAME": "podinfo-heartbeat"]
        )
        let write = try await podinfo.send("POST", "/cache/test", body: "data")
        #expect(write.status == 202 && write.body.isEmpty)
        let read = try await podinfo.get("/cache/test")
        #expect(read.status == 200)
        #expect(read.text == "data")
        #expect(read.header("Content-Type") == "application/octet-stream")
        #expect(try await podinfo.send("PUT", "/cache/test", body: "data2").status == 202)
        #expect(try await podinfo.get("/cache/test").text == "data2")
        let delete = try await podinfo.send("DELETE", "/cache/test")
        #expect(delete.status == 202 && delete.body.isEmpty)
        let gone = try await podinfo.get("/cache/test")
        #expect(gone.status == 404 && gone.body.isEmpty)
        #expect(try await podinfo.send("DELETE", "/cache/never-set").status == 202)
        // The heartbeat writes `SET <hostname> <version> EX 60` at start.
        let heartbeat = await eventually(timeout: .seconds(5)) {
            (try? await podinfo.get("/cache/podinfo-heartbeat"))?.text == "6.14.1"
        }
        #expect(heartbeat)
        // Connections are reused: many requests, few connections.
        for index in 0..<50 {
            _ = try await podinfo.send("POST", "/cache/k\(index)", body: "v\(index)")
        }
        let clients = try runCommand(
            try requireBinary("redis-cli", debianPackage: "redis-tools"),
            ["-p", String(redis.port), "info", "stats"]
        )
        let received = clients.stdout.split(whereSeparator: \.isNewline).first {
            $0.hasPrefix("total_connections_received:")
        }
        let count =
            Int(received?.split(separator: ":").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        #expect(count > 0 && count <= 5, "redis saw \(count) connections")
    }

    @Test func withoutACacheServerEveryCacheRouteSaysOffline() async throws {
        let podinfo = try await PodinfoProcess()
        for method in ["GET", "POST", "PUT", "DELETE"] {
            let response = try await podinfo.send(method, "/cache/key1", body: method == "GET" ? nil : "x")
            #expect(response.status == 200)
            #expect(response.text == "{\n  \"code\": 400,\n  \"message\": \"cache server is offline\"\n}")
        }
    }

    /// Flagger's tags (6.0.x) dial `host:port` as it is: a `tcp://` URL, the syntax since 6.1.1, fails every cache
    /// request as Redis being down does, while `host:port` reaches Redis (spec/podinfo.md §12).
    @Test func podinfo600ReadsHostPortAndFailsOnAURL() async throws {
        let redis = try RedisServer()
        let image = "ghcr.io/stefanprodan/podinfo:6.0.0"
        let url = try await PodinfoProcess(["--image", image, "--cache-server", "tcp://127.0.0.1:\(redis.port)"])
        let refused = try await url.send("POST", "/cache/session", body: "data")
        #expect(refused.status == 200 && refused.text.contains("\"message\": \"cache set failed\""))
        #expect(try await url.get("/cache/session").status == 404)
        #expect(url.process.output.contains("too many colons in address"))
        let hostPort = try await PodinfoProcess(["--image", image, "--cache-server", "127.0.0.1:\(redis.port)"])
        #expect(try await hostPort.send("POST", "/cache/session", body: "data").status == 202)
        #expect(try await hostPort.get("/cache/session").text == "data")
    }

    @Test func aDownRedisFailsCacheRoutesButNotReadiness() async throws {
        let port = try freePort()
        let podinfo = try await PodinfoProcess(["--cache-server", "tcp://127.0.0.1:\(port)"])
        #expect(try await podinfo.get("/readyz").status == 200)
        let write = try await podinfo.send("POST", "/cache/key", body: "x")
        #expect(write.status == 200 && write.text.contains("\"message\": \"cache set failed\""))
        #expect(try await podinfo.get("/cache/key").status == 404)
        let delete = try await podinfo.send("DELETE", "/cache/key")
        #expect(delete.status == 400 && delete.body.isEmpty)
        #expect(podinfo.process.output.contains(#""msg":"cache server is offline""#))
    }
}

/// A throwaway `redis-server` on a free port, no persistence, with `requirepass` when `password` is given; killed when
/// released.
final class RedisServer: Sendable {
    let port: Int
    let password: String?
    let process: BackgroundProcess

    init(password: String? = nil) throws {
        self.password = password
        let binary = try requireBinary("redis-server", debianPackage: "redis-server")
        port = try freePort()
        process = try BackgroundProcess(
            binary,
            ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
                + (password.map { ["--requirepass", $0] } ?? [])
        )
        guard waitUntil(timeout: 10, { isListening(port: port) }) else {
            process.stop(signal: SIGKILL)
            throw TestSupportError("redis-server did not listen on \(port):\n\(process.output)")
        }
    }

    deinit { process.stop(signal: SIGKILL, timeout: 5) }
}
