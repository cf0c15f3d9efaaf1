import CurlHTTP
import Foundation
import TestSupport
import Testing

/// Every route of podinfo 6.14.1 over real HTTP against the built `podinfo` binary.
struct PodinfoRoutesIntegrationTests {
    @Test func versionIsByteForBytePodinfos() async throws {
        let podinfo = try await PodinfoProcess()
        let response = try await podinfo.get("/version")
        #expect(response.status == 200)
        #expect(response.text == "{\n  \"commit\": \"unknown\",\n  \"version\": \"6.14.1\"\n}")
        #expect(response.header("Content-Type") == "application/json; charset=utf-8")
        #expect(response.header("X-Content-Type-Options") == "nosniff")
        #expect(response.header("X-Api-Version") == nil)
    }

    @Test func statusRouteAnswersWithTheCodeAndPodinfosBody() async throws {
        let podinfo = try await PodinfoProcess()
        let teapot = try await podinfo.get("/status/418")
        #expect(teapot.status == 418)
        #expect(teapot.text == "{\n  \"status\": 418\n}")
        for method in ["POST", "PUT"] {
            #expect(try await podinfo.send(method, "/status/503").status == 503)
        }
        #expect(try await podinfo.send("DELETE", "/status/200").status == 405)
        #expect(try await podinfo.get("/status/abc").status == 404)
        let overflow = try await podinfo.get("/status/99999999999999999999")
        #expect(overflow.status == 200)
        #expect(
            overflow.text
                == "{\n  \"code\": 400,\n  \"message\": \"strconv.Atoi: parsing \\\"99999999999999999999\\\": value out of range\"\n}"
        )
        let noContent = try await podinfo.get("/status/204")
        #expect(noContent.status == 204 && noContent.body.isEmpty)
        // Go's WriteHeader panics below 100: the connection closes without a response.
        await #expect(throws: HTTPClientError.self) { try await podinfo.get("/status/42") }
    }

    @Test func infoReportsVersionColorMessageAndStringCounts() async throws {
        let podinfo = try await PodinfoProcess(["--ui-color", "blue"], environment: ["HOSTNAME": "podinfo-7d9c-x2"])
        for path in ["/", "/api/info"] {
            let response = try await podinfo.get(path)
            #expect(response.status == 200)
            let keys = response.text.split(separator: "\n").dropFirst().dropLast().map {
                String($0.split(separator: ":")[0].trimmingCharacters(in: .whitespaces).dropFirst().dropLast())
            }
            #expect(
                keys == [
                    "hostname", "version", "revision", "color", "logo", "message", "goos", "goarch", "runtime",
                    "num_goroutine", "num_cpu",
                ]
            )
            let json = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
            #expect(json["color"] as? String == "blue")
            #expect(json["message"] as? String == "greetings from podinfo v6.14.1")
            #expect(json["num_cpu"] is String)
            #expect(json["hostname"] as? String == "podinfo-7d9c-x2")
        }
        let browser = try await podinfo.get("/", headers: [HTTPHeader("User-Agent", "Mozilla/5.0")])
        #expect(browser.status == 200)
        #expect(browser.header("Content-Type") == "text/html; charset=utf-8")
        #expect(browser.text.contains("/api/info"))
    }

    @Test func unknownPathsWrongMethodsAndUncleanPathsBehaveLikeGorilla() async throws {
        let podinfo = try await PodinfoProcess()
        let missing = try await podinfo.get("/nope")
        #expect(missing.status == 404)
        #expect(missing.text == "404 page not found\n")
        #expect(missing.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(try await podinfo.get("/version/").status == 404)
        let wrongMethod = try await podinfo.send("POST", "/version")
        #expect(wrongMethod.status == 405 && wrongMethod.body.isEmpty)
        #expect(try await podinfo.send("HEAD", "/healthz").status == 405)
        let redirect = try await podinfo.get("//version?x=1")
        #expect(redirect.status == 301)
        #expect(redirect.header("Location") == "/version?x=1")
        // None of these reached a route, so none is counted.
        let metrics = try await podinfo.get("/metrics").text
        #expect(!metrics.contains("status=\"404\"") && !metrics.contains("status=\"405\""))
    }

    @Test func prefixMovesEveryRouteUnderIt() async throws {
        let podinfo = try await PodinfoProcess(["--prefix", "foo/"], waitForReady: false)
        #expect(try await podinfo.get("/foo/api/info").status == 200)
        #expect(try await podinfo.get("/foo").text.contains("\"version\": \"6.14.1\""))
        #expect(try await podinfo.get("/foo/").status == 200)
        #expect(try await podinfo.get("/api/info").status == 404)
        #expect(try await podinfo.get("/foo/readyz").status == 200)
        let metrics = try await podinfo.get("/foo/metrics").text
        #expect(
            metrics.contains(#"http_request_duration_seconds_count{method="GET",path="foo_api_info",status="200"} 1"#)
        )
    }

    @Test func headersAndEnvEchoTheRequestAndProcess() async throws {
        let podinfo = try await PodinfoProcess(environment: ["PODINFO_TEST_MARKER": "canary <1>"])
        let headers = try await podinfo.get("/headers", headers: [HTTPHeader("x-test", "testing")])
        #expect(headers.status == 200)
        let map = try #require(try JSONSerialization.jsonObject(with: Data(headers.body)) as? [String: [String]])
        #expect(map["X-Test"] == ["testing"])
        #expect(map["X-Api-Version"] == ["6.14.1"])
        #expect(map["X-Api-Revision"] == ["unknown"])
        #expect(map["Host"] == nil)
        let env = try await podinfo.send("POST", "/env")
        #expect(env.status == 200)
        #expect(env.text.contains("\"PODINFO_TEST_MARKER=canary \\u003c1\\u003e\""))
    }

    @Test func echoReturnsTheBodyWith202AndRawHeaders() async throws {
        let podinfo = try await PodinfoProcess(["--ui-color", "blue"])
        for path in ["/echo", "/api/echo", "/echo/", "/echo/test/test123-test", "/api/echo/x"] {
            let response = try await podinfo.send("PUT", path, body: "{\"test\": true}")
            #expect(response.status == 202)
            #expect(response.text == "{\"test\": true}")
            #expect(response.header("Content-Type") == "application/octet-stream")
            #expect(response.header("Content-Security-Policy") == "default-src 'none'")
            #expect(response.header("X-Color") == "blue")
        }
        let empty = try await podinfo.get("/echo")
        #expect(empty.status == 202 && empty.body.isEmpty)
        let tooLarge = try await podinfo.send("POST", "/echo", body: String(repeating: "x", count: (10 << 20) + 1))
        #expect(tooLarge.status == 200)
        #expect(tooLarge.text.contains("\"code\": 413"))
    }

    @Test func echoFansOutToBackendsInOrder() async throws {
        let backend = try await PodinfoProcess()
        let podinfo = try await PodinfoProcess([
            "--backend-url", "\(backend.base)/echo", "--backend-url", "\(backend.base)/status/500",
            "--backend-url", "http://127.0.0.1:1/echo", "--ui-color", "blue",
        ])
        let response = try await podinfo.send("POST", "/echo", body: "hello")
        #expect(response.status == 200)
        #expect(response.header("X-Color") == "blue")
        let results = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String])
        #expect(results.count == 3)
        #expect(results.first == "hello")
        #expect(results.dropFirst().first == "backend \(backend.base)/status/500 response status code 500")
        #expect(
            results.last?.hasPrefix("backend http://127.0.0.1:1/echo call failed Post \"http://127.0.0.1:1/echo\"")
                == true
        )
        #expect(results.last?.contains("connection refused") == true)
    }

    @Test func delayWaitsWholeSeconds() async throws {
        let podinfo = try await PodinfoProcess()
        let response = try await podinfo.get("/delay/1")
        #expect(response.status == 200)
        #expect(response.text == "{\n  \"delay\": 1\n}")
        #expect(response.latency >= .milliseconds(950))
        #expect(try await podinfo.get("/delay/1ms").status == 404)
    }

    @Test func chunkedSendsTheDelayAfterWaiting() async throws {
        let podinfo = try await PodinfoProcess()
        let response = try await podinfo.send("POST", "/chunked/1")
        #expect(response.status == 200)
        #expect(response.text == "{\n  \"delay\": 1\n}")
        #expect(response.header("Content-Type") == nil)
        #expect(response.header("Transfer-Encoding")?.lowercased() == "chunked")
        #expect(response.latency >= .milliseconds(950))
    }

    @Test func probesAndTheirSwitches() async throws {
        let podinfo = try await PodinfoProcess()
        #expect(try await podinfo.get("/healthz").text == "{\n  \"status\": \"OK\"\n}")
        let disable = try await podinfo.send("POST", "/readyz/disable")
        #expect(disable.status == 202 && disable.body.isEmpty)
        let notReady = try await podinfo.get("/readyz")
        #expect(notReady.status == 503 && notReady.body.isEmpty && notReady.header("Content-Type") == nil)
        #expect(try await podinfo.get("/healthz").status == 200)
        #expect(try await podinfo.send("POST", "/readyz/enable").status == 202)
        #expect(try await podinfo.get("/readyz").status == 200)
        #expect(try await podinfo.get("/readyz/enable").status == 405)
    }

    @Test func faultInjectionFailsAllButExemptRoutes() async throws {
        let podinfo = try await PodinfoProcess()
        let enable = try await podinfo.send("POST", "/fault_injection/enable")
        #expect(enable.status == 202)
        #expect(enable.text == "{\n  \"fault_injection\": \"enabled\"\n}")
        let failed = try await podinfo.get("/api/info")
        #expect(failed.status == 500)
        #expect(failed.text == "{\"status\":\"fault injection enabled\"}\n")
        #expect(failed.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(try await podinfo.send("POST", "/readyz/enable").status == 500)
        for path in ["/healthz", "/readyz", "/metrics", "/fault_injection/status"] {
            #expect(try await podinfo.get(path).status == 200, "\(path) is exempt")
        }
        #expect(try await podinfo.get("/fault_injection/status").text.contains("\"enabled\""))
        let disable = try await podinfo.send("POST", "/fault_injection/disable")
        #expect(disable.status == 202 && disable.text.contains("\"disabled\""))
        #expect(try await podinfo.get("/api/info").status == 200)
    }

    @Test func storeWritesAndReadsBySHA1() async throws {
        let podinfo = try await PodinfoProcess()
        let write = try await podinfo.send("POST", "/store", body: "hello world")
        #expect(write.status == 202)
        #expect(write.text == "{\n  \"hash\": \"2aae6c35c94fcfb415dbe95f408b9ce91ee846ed\"\n}")
        let read = try await podinfo.get("/store/2aae6c35c94fcfb415dbe95f408b9ce91ee846ed")
        #expect(read.status == 202)
        #expect(read.text == "hello world")
        #expect(read.header("Content-Type") == "application/octet-stream")
        #expect(read.header("Content-Security-Policy") == "default-src 'none'")
        let invalid = try await podinfo.get("/store/abc123")
        #expect(invalid.status == 200 && invalid.text.contains("\"message\": \"invalid hash\""))
        let missing = try await podinfo.get("/store/aabbccddee11223344556677889900aabbccddee")
        #expect(missing.status == 200 && missing.text.contains("reading file failed"))
    }

    @Test func storeReportsAWriteFailureInTheBody() async throws {
        let podinfo = try await PodinfoProcess(["--data-path", "/nonexistent/podinfo-data"])
        let write = try await podinfo.send("PUT", "/store", body: "x")
        #expect(write.status == 200)
        #expect(write.text == "{\n  \"code\": 500,\n  \"message\": \"writing file failed\"\n}")
    }

    @Test func tokenRoundTripsAndFailuresAreHTTP200() async throws {
        let podinfo = try await PodinfoProcess()
        let issued = try await podinfo.send("POST", "/token", body: "test-user")
        #expect(issued.status == 200)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(issued.body)) as? [String: String])
        let token = try #require(json["token"])
        #expect(json["expires_at"]?.hasSuffix("Z") == true)
        let valid = try await podinfo.get("/token/validate", headers: [HTTPHeader("Authorization", "Bearer \(token)")])
        #expect(valid.status == 200)
        #expect(valid.text.contains("\"token_name\": \"test-user\""))
        #expect(valid.text.contains("\"expires_at\": \"\(json["expires_at"]!)\""))

        let anonymous = try await podinfo.send("POST", "/token")
        #expect(anonymous.status == 200 && anonymous.text.contains("\"token\""))

        let missing = try await podinfo.get("/token/validate")
        #expect(missing.status == 200)
        #expect(missing.text == "{\n  \"code\": 401,\n  \"message\": \"authorization bearer header required\"\n}")
        let malformed = try await podinfo.get(
            "/token/validate",
            headers: [HTTPHeader("Authorization", "InvalidFormat")]
        )
        #expect(malformed.text.contains("authorization bearer header required"))
        let forged = try await podinfo.get(
            "/token/validate",
            headers: [
                HTTPHeader(
                    "Authorization",
                    "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJuYW1lIjoiZmFrZSIsImlzcyI6InBvZGluZm8iLCJleHAiOjk5OTk5OTk5OTl9.invalidsig"
                )
            ]
        )
        #expect(forged.status == 200)
        #expect(forged.text.contains("\"message\": \"signature is invalid\""))
    }

    @Test func tokenSecretComesFromTheEnvironment() async throws {
        let issuer = try await PodinfoProcess(environment: ["PODINFO_JWT_SECRET": "test-secret"])
        let checker = try await PodinfoProcess(environment: ["PODINFO_JWT_SECRET": "different-secret"])
        let issued = try await issuer.send("POST", "/token", body: "someone")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(issued.body)) as? [String: String])
        let header = [HTTPHeader("Authorization", "bearer \(json["token"] ?? "")")]
        #expect(try await issuer.get("/token/validate", headers: header).text.contains("someone"))
        #expect(try await checker.get("/token/validate", headers: header).text.contains("signature is invalid"))
    }

    @Test func swaggerAndConfigsWithoutADirectory() async throws {
        let podinfo = try await PodinfoProcess()
        let swagger = try await podinfo.get("/swagger.json")
        #expect(swagger.status == 200)
        #expect(swagger.text.contains("\"swagger\": \"2.0\""))
        let configs = try await podinfo.get("/configs")
        #expect(configs.status == 200 && configs.text == "{}")
    }

    @Test func panicExitsWith255WithoutAResponse() async throws {
        let podinfo = try await PodinfoProcess()
        await #expect(throws: HTTPClientError.self) { try await podinfo.get("/panic") }
        #expect(await eventually(timeout: .seconds(5)) { !podinfo.process.isRunning })
        #expect(podinfo.process.process.terminationStatus == 255)
        #expect(podinfo.process.output.contains("\"msg\":\"Panic command received\""))
    }
}
