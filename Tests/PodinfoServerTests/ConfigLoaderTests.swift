import PodinfoServer
import Testing

struct ConfigLoaderTests {
    private func load(
        _ arguments: [String] = [],
        environment: [String: String] = [:],
        files: [String: String] = [:]
    ) throws -> PodinfoConfig {
        let loader = ConfigLoader(arguments: arguments, environment: environment, readFile: { files[$0] })
        guard case .serve(let config) = try loader.load() else {
            throw ConfigError("expected a configuration to serve")
        }
        return config
    }

    @Test func defaultsArePodinfos() throws {
        let config = try load()
        #expect(config.port == 9898)
        #expect(config.portMetrics == 0)
        #expect(config.level == "info")
        #expect(config.uiColor == "#34577c")
        #expect(config.uiMessage == "greetings from podinfo v6.14.1")
        #expect(config.serverShutdownTimeout == .seconds(5))
        #expect(config.randomDelayMax == 5 && config.randomDelayUnit == "s")
        #expect(config.dataPath == "/data")
        #expect(config.version == "6.14.1" && config.revision == "unknown")
    }

    @Test func flagBeatsEnvironmentBeatsConfigFile() throws {
        let files = ["/etc/podinfo/config.yaml": "ui-color: '#file'\nui-message: from file\nlevel: debug # comment\n"]
        let environment = ["PODINFO_UI_COLOR": "#env", "PODINFO_UI_MESSAGE": "from env"]
        let config = try load(
            ["--config-path=/etc/podinfo", "--ui-color", "#flag"],
            environment: environment,
            files: files
        )
        #expect(config.uiColor == "#flag")
        #expect(config.uiMessage == "from env")
        #expect(config.level == "debug")
    }

    @Test func everyKeyHasAnEnvironmentVariable() throws {
        let config = try load(
            environment: [
                "PODINFO_RANDOM_DELAY": "true", "PODINFO_RANDOM_DELAY_UNIT": "ms", "PODINFO_RANDOM_DELAY_MAX": "20",
                "PODINFO_SERVER_SHUTDOWN_TIMEOUT": "1m30s", "PODINFO_BACKEND_URL": "http://a/echo,http://b/echo",
                "PODINFO_CACHE_SERVER": "tcp://127.0.0.1:6379", "PODINFO_PORT": "not-a-number",
            ]
        )
        #expect(config.randomDelay && config.randomDelayUnit == "ms" && config.randomDelayMax == 20)
        #expect(config.serverShutdownTimeout == .seconds(90))
        #expect(config.backendURLs == ["http://a/echo", "http://b/echo"])
        #expect(config.cacheServer == "tcp://127.0.0.1:6379")
        #expect(config.port == 9898)  // a non-numeric env value falls back to the flag's value
    }

    @Test func versionComesFromTheFlagTheEnvironmentOrTheImageTag() throws {
        #expect(try load(["--image", "ghcr.io/stefanprodan/podinfo:6.0.1"]).version == "6.0.1")
        let fromEnvironment = try load(environment: ["PODINFO_VERSION": "6.0.2", "PODINFO_REVISION": "abc123"])
        #expect(fromEnvironment.version == "6.0.2" && fromEnvironment.revision == "abc123")
        #expect(fromEnvironment.uiMessage == "greetings from podinfo v6.0.2")
        #expect(try load(["--set-version=6.0.3"], environment: ["PODINFO_VERSION": "6.0.2"]).version == "6.0.3")
        #expect(ConfigLoader.tag(ofImage: "localhost:5000/podinfo:6.0.4@sha256:abc") == "6.0.4")
        #expect(ConfigLoader.tag(ofImage: "localhost:5000/podinfo") == nil)
    }

    @Test func boolFlagsTakeNoArgumentUnlessGivenWithEquals() throws {
        let config = try load(["--random-error", "--unready", "--random-delay=false", "--port", "1234"])
        #expect(config.randomError && config.unready && !config.randomDelay)
        #expect(config.port == 1234)
    }

    @Test(arguments: [["--bogus"], ["--port", "abc"], ["--random-delay-unit=m"], ["--random-delay-max=1"]])
    func rejectsWhatPodinfoRejects(arguments: [String]) {
        let extra = arguments.contains("--random-delay-max=1") ? ["--random-delay-min=2"] : []
        #expect(throws: ConfigError.self) { try load(arguments + extra) }
    }

    @Test func helpAndVersionAreAnswered() throws {
        let loader = ConfigLoader(arguments: ["--version"], environment: ["PODINFO_VERSION": "6.0.1"])
        guard case .printVersion(let version) = try loader.load() else {
            Issue.record("--version did not print the version")
            return
        }
        #expect(version == "6.0.1")
        guard case .printHelp(let usage) = try ConfigLoader(arguments: ["-h"], environment: [:]).load() else {
            Issue.record("-h did not print usage")
            return
        }
        #expect(usage.contains("--random-delay-unit string") && usage.contains("PODINFO_"))
    }

    @Test(arguments: [
        ("5s", Duration.seconds(5)), ("1m30s", .seconds(90)), ("250ms", .milliseconds(250)), ("1.5h", .seconds(5400)),
    ])
    func parsesGoDurations(text: String, expected: Duration) {
        #expect(GoDurationFormat.parse(text) == expected)
    }

    @Test(arguments: [
        (Duration.seconds(62.5), "1m2.5s"), (.milliseconds(1500), "1.5s"), (.zero, "0s"), (.seconds(3723), "1h2m3s"),
        (.microseconds(1500), "1.5ms"),
    ])
    func formatsGoDurations(duration: Duration, expected: String) {
        #expect(GoDurationFormat.format(duration) == expected)
    }
}
