/// Everything podinfo reads from flags, `PODINFO_*` variables and its config file, resolved and typed.
///
/// Keys and defaults are podinfo 6.14.1's (spec/podinfo.md §2). `version` and `revision` are forced in the real binary;
/// here they are settable so one executable can stand in for any image tag.
public struct PodinfoConfig: Sendable {
    public var version = "6.14.1"
    public var revision = "unknown"
    public var host = ""
    public var prefix = "/"
    public var port = 9898
    public var portMetrics = 0
    public var grpcPort = 0
    public var level = "info"
    public var backendURLs: [String] = []
    public var httpClientTimeout: Duration = .seconds(120)
    public var httpServerTimeout: Duration = .seconds(30)
    public var serverShutdownTimeout: Duration = .seconds(5)
    public var dataPath = "/data"
    public var configPath = ""
    public var configFile = "config.yaml"
    public var uiPath = "./ui"
    public var uiLogo = "https://raw.githubusercontent.com/stefanprodan/podinfo/gh-pages/cuddle_clap.gif"
    public var uiColor = "#34577c"
    public var uiMessage = "greetings from podinfo v6.14.1"
    public var randomDelay = false
    public var randomDelayUnit = "s"
    public var randomDelayMin = 0
    public var randomDelayMax = 5
    public var randomError = false
    public var unhealthy = false
    public var unready = false
    public var cacheServer = ""
    public var jwtSecret = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
    /// The host name (`os.Hostname()`, or `$HOSTNAME` when set), reported by `/api/info` and used as the Redis
    /// heartbeat key.
    public var hostname = "localhost"

    public init() {}

    /// The bind address: podinfo's `--host` (empty means all interfaces, as in Go's `:9898`).
    public var bindHost: String { host.isEmpty ? "0.0.0.0" : host }

    /// `--prefix` normalised as podinfo's `normalizePrefix`: leading `/`, cleaned, no trailing `/` (except the root).
    public var normalizedPrefix: String { PathCleaner.clean("/" + prefix.trimmingWhitespace()) }

    /// podinfo skips its 3 s shutdown grace at debug level.
    public var isDebugLevel: Bool { level.lowercased() == "debug" }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
