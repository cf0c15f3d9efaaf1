import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// podinfo's HTTP surface: gorilla-style routing, then on matched routes only the middleware chain
/// prometheus → logging → version → fault injection → random delay → random error → handler.
struct PodinfoResponder: HTTPResponder {
    typealias Context = PodinfoRequestContext

    /// Bodies over this size are refused (`maxRequestBodySize`).
    static let maxRequestBodySize = 10 << 20

    let config: PodinfoConfig
    let state: ServerState
    let metrics: PodinfoMetrics
    let logger: Logger
    let cache: RedisClient?
    let configWatcher: ConfigWatcher?
    let backends: BackendClient
    let router: PodinfoRouter
    let prefix: String

    init(
        config: PodinfoConfig,
        state: ServerState,
        metrics: PodinfoMetrics,
        logger: Logger,
        cache: RedisClient?,
        configWatcher: ConfigWatcher?
    ) {
        self.config = config
        self.state = state
        self.metrics = metrics
        self.logger = logger
        self.cache = cache
        self.configWatcher = configWatcher
        self.backends = BackendClient(timeout: config.httpClientTimeout)
        self.prefix = config.normalizedPrefix
        self.router = PodinfoRouter(prefix: prefix)
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let method = request.method.rawValue
        let resolution = router.resolve(
            method: method,
            rawPath: Substring(request.uri.path),
            rawQuery: request.uri.query,
            userAgent: request.headers[.userAgent]
        )
        switch resolution {
        case .redirect(let location):
            var headers = HTTPFields()
            headers[.location] = location
            return Response(status: .movedPermanently, headers: headers, body: ResponseBody())
        case .methodNotAllowed:
            return Reply.empty(405).response
        case .notFound:
            return Reply.text("404 page not found", status: 404).response
        case .matched(let route, let variables):
            let start = ContinuousClock.now
            let reply = await serve(route: route, variables: variables, request: request, context: context)
            let observe: @Sendable () -> Void = {
                let elapsed = ContinuousClock.now - start
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                metrics.observe(method: method, path: route.label, status: reply.recordedStatus, seconds: seconds)
            }
            if reply.dropsConnection {
                context.dropConnection()
                return reply.response
            }
            guard let delay = reply.bodyDelay else {
                observe()
                return reply.response
            }
            var response = reply.response
            let payload = reply.response.body
            response.body = ResponseBody { writer in
                try await Task.sleep(for: delay)
                try await payload.write(writer)
                observe()
            }
            return response
        }
    }

    /// The middleware chain below the prometheus one.
    private func serve(route: Route, variables: [String: String], request: Request, context: Context) async -> Reply {
        if logger.logLevel <= .debug {
            logger.debug(
                "request started",
                metadata: [
                    "proto": "HTTP/1.1", "uri": .string(request.uri.string), "method": .string(request.method.rawValue),
                    "remote": .string(context.remoteAddress), "user-agent": .string(request.headers[.userAgent] ?? ""),
                ]
            )
        }
        if state.faultInjection && !isExemptFromFaultInjection(request.uri.path) {
            return Reply.text(#"{"status":"fault injection enabled"}"#, status: 500)
        }
        if config.randomDelay {
            guard config.randomDelayMax > config.randomDelayMin else {
                return .dropped  // Go's rand.Intn(0) panics on every request
            }
            let amount = Int.random(in: config.randomDelayMin..<config.randomDelayMax)
            let delay: Duration = config.randomDelayUnit == "ms" ? .milliseconds(amount) : .seconds(amount)
            try? await Task.sleep(for: delay)
        }
        if config.randomError && Int.random(in: 0..<3) == 0 {
            return .empty([500, 400, 409].randomElement()!)
        }
        let input = HandlerInput(request: request, variables: variables, context: context)
        return await handle(route.endpoint, input)
    }

    /// Exempt paths are checked after stripping `--prefix`.
    private func isExemptFromFaultInjection(_ rawPath: String) -> Bool {
        var path = PathCleaner.percentDecode(Substring(rawPath)) ?? rawPath
        if prefix != "/" && path.hasPrefix(prefix) { path = String(path.dropFirst(prefix.count)) }
        return path.hasPrefix("/fault_injection") || path == "/healthz" || path == "/readyz" || path == "/metrics"
            || path.hasPrefix("/debug/")
    }

    private func handle(_ endpoint: Route.Endpoint, _ input: HandlerInput) async -> Reply {
        switch endpoint {
        case .index: index()
        case .info: info()
        case .version: .json(.object([("commit", .string(config.revision)), ("version", .string(config.version))]))
        case .echo: await echo(input)
        case .env: env()
        case .headers: headers(input)
        case .delay: await delay(input)
        case .healthz: state.healthy ? .json(.object([("status", .string("OK"))])) : .empty(503)
        case .readyz: state.ready ? .json(.object([("status", .string("OK"))])) : .empty(503)
        case .readyzEnable:
            setReady(true)
        case .readyzDisable:
            setReady(false)
        case .faultInjectionEnable: setFaultInjection(true)
        case .faultInjectionDisable: setFaultInjection(false)
        case .faultInjectionStatus:
            .json(.object([("fault_injection", .string(state.faultInjection ? "enabled" : "disabled"))]))
        case .panic: panic()
        case .status: status(input)
        case .storeWrite: await storeWrite(input)
        case .storeRead: storeRead(input)
        case .cacheWrite: await cacheWrite(input)
        case .cacheDelete: await cacheDelete(input)
        case .cacheRead: await cacheRead(input)
        case .configs: .json(.sortedObject((configWatcher?.files ?? [:]).mapValues { .string($0) }))
        case .tokenGenerate: await tokenGenerate(input)
        case .tokenValidate: tokenValidate(input)
        case .chunked: chunked(input)
        case .metrics: metricsExposition()
        case .swagger: swagger()
        }
    }

    private func setReady(_ ready: Bool) -> Reply {
        state.ready = ready
        return .empty(202)
    }

    private func setFaultInjection(_ enabled: Bool) -> Reply {
        state.faultInjection = enabled
        return .json(.object([("fault_injection", .string(enabled ? "enabled" : "disabled"))]), status: 202)
    }

    /// `/panic`: podinfo logs and calls `os.Exit(255)`; the connection drops with no response.
    private func panic() -> Reply {
        logger.info("Panic command received")
        exit(255)
    }

    private func metricsExposition() -> Reply {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return .bytes(metrics.exposition(), headers: headers, status: 200)
    }
}
