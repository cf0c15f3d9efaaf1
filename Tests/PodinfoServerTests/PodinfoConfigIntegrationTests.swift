import CurlHTTP
import Foundation
import TestSupport
import Testing

/// Configuration through flags, `PODINFO_*` variables and files, and the fault knobs they switch on.
struct PodinfoConfigIntegrationTests {
    @Test func environmentConfiguresAndFlagsWin() async throws {
        let podinfo = try await PodinfoProcess(
            ["--ui-color", "#flag"],
            environment: [
                "PODINFO_UI_COLOR": "#env", "PODINFO_UI_MESSAGE": "hello from env", "PODINFO_VERSION": "6.0.1",
                "PODINFO_REVISION": "0.0.0-abc",
            ]
        )
        let info = try await podinfo.get("/api/info")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(info.body)) as? [String: String])
        #expect(json["color"] == "#flag")
        #expect(json["message"] == "hello from env")
        #expect(json["version"] == "6.0.1")
        #expect(
            try await podinfo.get("/version").text == "{\n  \"commit\": \"0.0.0-abc\",\n  \"version\": \"6.0.1\"\n}"
        )
        #expect(try await podinfo.get("/headers").text.contains("\"6.0.1\""))
    }

    @Test func imageTagSetsTheVersionAndItsDefaultMessage() async throws {
        let podinfo = try await PodinfoProcess(["--image", "ghcr.io/stefanprodan/podinfo:6.0.2"])
        let body = try await podinfo.get("/").text
        #expect(body.contains("\"version\": \"6.0.2\""))
        #expect(body.contains("\"message\": \"greetings from podinfo v6.0.2\""))
    }

    @Test func configFileSetsKeysAndConfigsReflectsTheDirectory() async throws {
        let directory = NSTemporaryDirectory() + "podinfo-config-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "ui-message: from the file\nui-color: '#file'\n".write(
            toFile: directory + "/config.yaml",
            atomically: true,
            encoding: .utf8
        )
        try "value-a".write(toFile: directory + "/a.txt", atomically: true, encoding: .utf8)
        let podinfo = try await PodinfoProcess(
            ["--config-path", directory],
            environment: ["PODINFO_UI_COLOR": "#env"]
        )
        let info = try await podinfo.get("/api/info").text
        #expect(info.contains("\"message\": \"from the file\""))
        #expect(info.contains("\"color\": \"#env\""))
        let configs = try await podinfo.get("/configs").text
        #expect(configs.hasPrefix("{\n  \"a.txt\": \"value-a\",\n  \"config.yaml\": "))

        try "value-b".write(toFile: directory + "/b.txt", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: directory + "/a.txt")
        let reloaded = await eventually(timeout: .seconds(5)) {
            let text = (try? await podinfo.get("/configs").text) ?? ""
            return text.contains("\"b.txt\": \"value-b\"") && !text.contains("a.txt")
        }
        #expect(reloaded)
    }

    @Test func randomErrorFailsAboutOneRequestInThreeWithPodinfosCodes() async throws {
        let podinfo = try await PodinfoProcess(["--random-error"], waitForReady: false)
        let report = try await LoadGenerator(
            LoadSpec(url: podinfo.base + "/version", mode: .concurrency(4), limit: .requests(600))
        ).run()
        #expect(report.errors == 0)
        let failures = report.requests - report.count(200)
        let share = Double(failures) / Double(report.requests)
        #expect(share > 0.25 && share < 0.42, "error share \(share) of \(report.countsByStatus)")
        #expect(Set(report.countsByStatus.keys) == [200, 400, 409, 500])
        // The scrape itself may draw an error; the injected codes are counted like any other.
        let counted = await eventually(timeout: .seconds(5)) {
            guard let scrape = try? await podinfo.get("/metrics"), scrape.status == 200 else { return false }
            return scrape.text.contains(#"http_requests_total{status="409"}"#)
        }
        #expect(counted)
    }

    @Test func unreadyAndUnhealthyFlagsHoldTheProbesDown() async throws {
        let podinfo = try await PodinfoProcess(["--unready", "--unhealthy"], waitForReady: false)
        #expect(try await podinfo.get("/readyz").status == 503)
        #expect(try await podinfo.get("/healthz").status == 503)
        #expect(try await podinfo.send("POST", "/readyz/enable").status == 202)
        #expect(try await podinfo.get("/readyz").status == 200)
        #expect(try await podinfo.get("/healthz").status == 503)
    }

    @Test func helpVersionAndUsageErrors() throws {
        let podinfo = try BuiltProducts.executable("podinfo")
        let version = try runCommand(podinfo, ["--version"], environment: ["PODINFO_VERSION": "6.0.3"])
        #expect(version.status == 0 && version.stdout == "6.0.3\n")
        let help = try runCommand(podinfo, ["--help"])
        #expect(help.status == 0 && help.stdout.contains("--cache-server string"))
        let bad = try runCommand(podinfo, ["--no-such-flag"])
        #expect(bad.status == 2 && bad.stderr.contains("unknown flag: --no-such-flag"))
    }

    @Test func aBusyPortFailsTheStartWithExitOne() async throws {
        let first = try await PodinfoProcess()
        let second = try runCommand(
            try BuiltProducts.executable("podinfo"),
            ["--host", "127.0.0.1", "--port", String(first.port)],
            timeout: 10
        )
        #expect(second.status == 1)
        #expect(second.stderr.contains(#""msg":"HTTP server crashed""#))
        #expect(second.stderr.contains("Address already in use"))
    }
}
