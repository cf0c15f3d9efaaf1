/// Resolves a ``PodinfoConfig`` the way podinfo's viper setup does: an explicit flag beats `PODINFO_<KEY>` (dashes
/// become underscores) beats `<config-path>/<config>` beats the default.
public struct ConfigLoader: Sendable {
    /// What the command line asked for besides serving.
    public enum Outcome: Sendable {
        case serve(PodinfoConfig)
        case printVersion(String)
        case printHelp(String)
    }

    /// A flag podinfo knows, with its pflag type and default.
    struct Flag: Sendable {
        enum Kind: Sendable { case string, int, bool, duration, stringList }
        var name: String
        var kind: Kind
        var defaultValue: String
        var usage: String
        /// Flags podinfo accepts that this server does not act on (TLS, gRPC, stress, tracing).
        var ignored = false
    }

    static let flags: [Flag] = [
        Flag(name: "host", kind: .string, defaultValue: "", usage: "host to bind service to"),
        Flag(name: "prefix", kind: .string, defaultValue: "/", usage: "path prefix for all routes"),
        Flag(name: "port", kind: .int, defaultValue: "9898", usage: "HTTP port"),
        Flag(
            name: "secure-port",
            kind: .int,
            defaultValue: "0",
            usage: "HTTPS port (not supported here)",
            ignored: true
        ),
        Flag(name: "port-metrics", kind: .int, defaultValue: "0", usage: "metrics port"),
        Flag(name: "grpc-port", kind: .int, defaultValue: "0", usage: "gRPC port (not supported here)", ignored: true),
        Flag(
            name: "grpc-service-name",
            kind: .string,
            defaultValue: "podinfo",
            usage: "gRPC service name",
            ignored: true
        ),
        Flag(
            name: "level",
            kind: .string,
            defaultValue: "info",
            usage: "log level debug, info, warn, error, fatal or panic"
        ),
        Flag(name: "backend-url", kind: .stringList, defaultValue: "", usage: "backend service URL"),
        Flag(name: "http-client-timeout", kind: .duration, defaultValue: "2m", usage: "client timeout duration"),
        Flag(name: "http-server-timeout", kind: .duration, defaultValue: "30s", usage: "server read and write timeout"),
        Flag(
            name: "server-shutdown-timeout",
            kind: .duration,
            defaultValue: "5s",
            usage: "server graceful shutdown timeout duration"
        ),
        Flag(name: "data-path", kind: .string, defaultValue: "/data", usage: "data local path"),
        Flag(name: "config-path", kind: .string, defaultValue: "", usage: "config dir path"),
        Flag(name: "cert-path", kind: .string, defaultValue: "/data/cert", usage: "certificate path", ignored: true),
        Flag(name: "config", kind: .string, defaultValue: "config.yaml", usage: "config file name"),
        Flag(name: "ui-path", kind: .string, defaultValue: "./ui", usage: "UI local path"),
        Flag(
            name: "ui-logo",
            kind: .string,
            defaultValue: "https://raw.githubusercontent.com/stefanprodan/podinfo/gh-pages/cuddle_clap.gif",
            usage: "UI logo"
        ),
        Flag(name: "ui-color", kind: .string, defaultValue: "#34577c", usage: "UI color"),
        Flag(
            name: "ui-message",
            kind: .string,
            defaultValue: "",
            usage: "UI message (default greetings from podinfo v<version>)"
        ),
        Flag(
            name: "h2c",
            kind: .bool,
            defaultValue: "false",
            usage: "allow upgrading to H2C (not supported here)",
            ignored: true
        ),
        Flag(
            name: "random-delay",
            kind: .bool,
            defaultValue: "false",
            usage: "between 0 and 5 seconds random delay by default"
        ),
        Flag(
            name: "random-delay-unit",
            kind: .string,
            defaultValue: "s",
            usage: "either s (seconds) or ms (milliseconds)"
        ),
        Flag(name: "random-delay-min", kind: .int, defaultValue: "0", usage: "min for random delay: 0 by default"),
        Flag(name: "random-delay-max", kind: .int, defaultValue: "5", usage: "max for random delay: 5 by default"),
        Flag(name: "random-error", kind: .bool, defaultValue: "false", usage: "1/3 chances of a random response error"),
        Flag(name: "unhealthy", kind: .bool, defaultValue: "false", usage: "when set, healthy state is never reached"),
        Flag(name: "unready", kind: .bool, defaultValue: "false", usage: "when set, ready state is never reached"),
        Flag(
            name: "stress-cpu",
            kind: .int,
            defaultValue: "0",
            usage: "number of CPU cores with 100 load (not supported here)",
            ignored: true
        ),
        Flag(
            name: "stress-memory",
            kind: .int,
            defaultValue: "0",
            usage: "MB of data to load into memory (not supported here)",
            ignored: true
        ),
        Flag(
            name: "cache-server",
            kind: .string,
            defaultValue: "",
            usage: "Redis address in the format 'tcp://<host>:<port>'"
        ),
        Flag(
            name: "otel-service-name",
            kind: .string,
            defaultValue: "",
            usage: "service name for reporting to open telemetry address, when not set tracing is disabled",
            ignored: true
        ),
        Flag(
            name: "set-version",
            kind: .string,
            defaultValue: "6.14.1",
            usage: "version to report (env PODINFO_VERSION); this server only"
        ),
        Flag(
            name: "set-revision",
            kind: .string,
            defaultValue: "unknown",
            usage: "revision to report (env PODINFO_REVISION); this server only"
        ),
        Flag(
            name: "image",
            kind: .string,
            defaultValue: "",
            usage: "container image whose tag is the version to report (env PODINFO_IMAGE); this server only"
        ),
    ]

    /// Keys that have no flag but can come from the environment or the config file.
    static let environmentOnlyKeys = ["jwt-secret"]

    /// Where a flag's value is read from in the environment and config file, when it differs from the flag name.
    static func key(forFlag name: String) -> String {
        switch name {
        case "set-version": "version"
        case "set-revision": "revision"
        default: name
        }
    }

    public var arguments: [String]
    public var environment: [String: String]
    /// Reads a file; injectable for tests.
    public var readFile: @Sendable (String) -> String?

    public init(
        arguments: [String],
        environment: [String: String],
        readFile: @escaping @Sendable (String) -> String? = { FileSystem.readText($0) }
    ) {
        self.arguments = arguments
        self.environment = environment
        self.readFile = readFile
    }

    /// Parses the command line and resolves every key; throws ``ConfigError`` for the usage mistakes pflag rejects.
    public func load() throws -> Outcome {
        var explicit: [String: [String]] = [:]
        var wantsVersion = false
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "-h" || argument == "--help" { return .printHelp(Self.usage) }
            if argument == "-v" || argument == "--version" {
                wantsVersion = true
                continue
            }
            guard argument.hasPrefix("--"), argument.count > 2 else {
                if argument.hasPrefix("-") {
                    throw ConfigError("unknown shorthand flag: '\(argument.dropFirst())' in \(argument)")
                }
                continue  // pflag keeps positional arguments; podinfo ignores them
            }
            var name = String(argument.dropFirst(2))
            var value: String?
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if name == "version" {
                wantsVersion = value.map { ["true", "1", "t", "TRUE", "True"].contains($0) } ?? true
                continue
            }
            guard let flag = Self.flags.first(where: { $0.name == name }) else {
                throw ConfigError("unknown flag: --\(name)")
            }
            if value == nil {
                if flag.kind == .bool {
                    value = "true"
                } else if index < arguments.count {
                    value = arguments[index]
                    index += 1
                } else {
                    throw ConfigError("flag needs an argument: --\(name)")
                }
            }
            explicit[name, default: []].append(value!)
            try Self.check(flag: flag, value: value!)
        }

        let fileValues = configFileValues(explicit: explicit)
        var resolved: [String: String] = [:]
        var backendURLs: [String] = []
        for flag in Self.flags {
            let key = Self.key(forFlag: flag.name)
            let envName = "PODINFO_" + key.uppercased().replacingDashes()
            if let values = explicit[flag.name] {
                if flag.kind == .stringList {
                    backendURLs = values.flatMap { $0.split(separator: ",").map(String.init) }
                }
                resolved[key] = values.last!
            } else if let value = environment[envName], (try? Self.check(flag: flag, value: value)) != nil {
                if flag.kind == .stringList { backendURLs = value.split(separator: ",").map(String.init) }
                resolved[key] = value
            } else if let value = fileValues[key] {
                if flag.kind == .stringList { backendURLs = value.split(separator: ",").map(String.init) }
                resolved[key] = value
            }
        }
        for key in Self.environmentOnlyKeys {
            let envName = "PODINFO_" + key.uppercased().replacingDashes()
            if let value = environment[envName] ?? fileValues[key] { resolved[key] = value }
        }
        if backendURLs.isEmpty, let aliased = fileValues["backendUrl"] {
            backendURLs = aliased.split(separator: ",").map(String.init)
        }

        var config = PodinfoConfig()
        func string(_ key: String) -> String? { resolved[key] }
        func int(_ key: String) -> Int? { resolved[key].flatMap { Int($0.trimmingWhitespace()) } }
        func bool(_ key: String) -> Bool? { resolved[key].flatMap(Self.parseBool) }
        func duration(_ key: String) -> Duration? { resolved[key].flatMap(GoDurationFormat.parse) }

        if let image = string("image"), let tag = Self.tag(ofImage: image) { config.version = tag }
        if let version = string("version"), !version.isEmpty { config.version = version }
        if let revision = string("revision"), !revision.isEmpty { config.revision = revision }
        if wantsVersion { return .printVersion(config.version) }

        config.host = string("host") ?? config.host
        config.prefix = string("prefix") ?? config.prefix
        config.port = int("port") ?? config.port
        config.portMetrics = int("port-metrics") ?? config.portMetrics
        config.grpcPort = int("grpc-port") ?? config.grpcPort
        config.level = string("level") ?? config.level
        config.backendURLs = backendURLs.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        config.httpClientTimeout = duration("http-client-timeout") ?? config.httpClientTimeout
        config.httpServerTimeout = duration("http-server-timeout") ?? config.httpServerTimeout
        config.serverShutdownTimeout = duration("server-shutdown-timeout") ?? config.serverShutdownTimeout
        config.dataPath = string("data-path") ?? config.dataPath
        config.configPath = string("config-path") ?? config.configPath
        config.configFile = string("config") ?? config.configFile
        config.uiPath = string("ui-path") ?? config.uiPath
        config.uiLogo = string("ui-logo").flatMap { $0.isEmpty ? nil : $0 } ?? config.uiLogo
        config.uiColor = string("ui-color") ?? config.uiColor
        config.uiMessage =
            string("ui-message").flatMap { $0.isEmpty ? nil : $0 } ?? "greetings from podinfo v\(config.version)"
        config.randomDelay = bool("random-delay") ?? config.randomDelay
        config.randomDelayUnit = string("random-delay-unit") ?? config.randomDelayUnit
        config.randomDelayMin = int("random-delay-min") ?? config.randomDelayMin
        config.randomDelayMax = int("random-delay-max") ?? config.randomDelayMax
        config.randomError = bool("random-error") ?? config.randomError
        config.unhealthy = bool("unhealthy") ?? config.unhealthy
        config.unready = bool("unready") ?? config.unready
        config.cacheServer = string("cache-server") ?? config.cacheServer
        config.jwtSecret = string("jwt-secret") ?? config.jwtSecret

        if config.randomDelayUnit != "s" && config.randomDelayUnit != "ms" {
            throw ConfigError("`random-delay-unit` accepted values are: s|ms, got \(config.randomDelayUnit)")
        }
        if config.randomDelayMax < config.randomDelayMin {
            throw ConfigError("`--random-delay-max` should be greater than `--random-delay-min`")
        }
        return .serve(config)
    }

    /// The `key: value` pairs of `<config-path>/<config>` (flag or env values for those two keys apply first).
    private func configFileValues(explicit: [String: [String]]) -> [String: String] {
        let directory = explicit["config-path"]?.last ?? environment["PODINFO_CONFIG_PATH"] ?? ""
        let name = explicit["config"]?.last ?? environment["PODINFO_CONFIG"] ?? "config.yaml"
        guard !directory.isEmpty, let text = readFile(directory + "/" + name) else { return [:] }
        return FlatYAML.parse(text)
    }

    static func check(flag: Flag, value: String) throws {
        let valid: Bool
        switch flag.kind {
        case .string, .stringList: valid = true
        case .int: valid = Int(value.trimmingWhitespace()) != nil
        case .bool: valid = parseBool(value) != nil
        case .duration: valid = GoDurationFormat.parse(value) != nil
        }
        if !valid {
            throw ConfigError("invalid argument \"\(value)\" for \"--\(flag.name)\" flag")
        }
    }

    /// `strconv.ParseBool`.
    static func parseBool(_ text: String) -> Bool? {
        switch text.trimmingWhitespace() {
        case "1", "t", "T", "true", "TRUE", "True": true
        case "0", "f", "F", "false", "FALSE", "False": false
        default: nil
        }
    }

    /// The tag of an image reference: `ghcr.io/stefanprodan/podinfo:6.0.1` gives `6.0.1`; a digest is ignored.
    public static func tag(ofImage image: String) -> String? {
        let withoutDigest = image.split(separator: "@", maxSplits: 1).first.map(String.init) ?? image
        let lastComponent = withoutDigest.split(separator: "/").last.map(String.init) ?? withoutDigest
        guard let colon = lastComponent.lastIndex(of: ":") else { return nil }
        let tag = String(lastComponent[lastComponent.index(after: colon)...])
        return tag.isEmpty ? nil : tag
    }

    /// pflag-style usage text.
    public static var usage: String {
        var lines = ["Usage of podinfo:"]
        let sorted = flags.sorted { $0.name < $1.name }
        let rendered = sorted.map { flag -> (String, String) in
            let type: String
            switch flag.kind {
            case .string: type = " string"
            case .int: type = " int"
            case .bool: type = ""
            case .duration: type = " duration"
            case .stringList: type = " strings"
            }
            var usage = flag.usage
            let quoted = flag.kind == .string ? "\"\(flag.defaultValue)\"" : flag.defaultValue
            if !flag.defaultValue.isEmpty && flag.defaultValue != "0" && flag.defaultValue != "false" {
                usage += " (default \(quoted))"
            }
            return ("      --\(flag.name)\(type)", usage)
        }
        let width = (rendered.map(\.0.count).max() ?? 0) + 3
        for (left, right) in rendered {
            lines.append(left + String(repeating: " ", count: width - left.count) + right)
        }
        lines.append("  -v, --version" + String(repeating: " ", count: width - 15) + "get version number")
        lines.append("")
        lines.append("Every key can also be set as PODINFO_<KEY> (dashes become underscores), e.g. PODINFO_UI_COLOR,")
        lines.append(
            "or in <config-path>/<config> as `key: value`. A flag beats the environment, which beats the file."
        )
        lines.append(
            "PODINFO_JWT_SECRET sets the token secret. PODINFO_VERSION / --set-version (or --image with a tag)"
        )
        lines.append("set the version this server reports.")
        return lines.joined(separator: "\n")
    }
}

extension String {
    func replacingDashes() -> String { String(map { $0 == "-" ? "_" : $0 }) }
}
