/// podinfo 6.14.1's route table (`registerHandlers`) with gorilla/mux's matching rules: routes are tried in order, a
/// path match with the wrong method remembers a 405 unless a later route matches, non-clean paths get a 301.
struct PodinfoRouter: Sendable {
    /// The outcome of routing one request.
    enum Resolution {
        case matched(Route, [String: String])
        case redirect(location: String)
        case methodNotAllowed
        case notFound
    }

    let routes: [Route]

    init(prefix: String) {
        let get: Set<String> = ["GET"]
        let post: Set<String> = ["POST"]
        routes = [
            Route("/metrics", nil, .metrics, prefix: prefix),
            Route("/", get, .index, prefix: prefix, requiresBrowser: true),
            Route("/", get, .info, prefix: prefix),
            Route("/version", get, .version, prefix: prefix),
            Route("/echo", nil, .echo, prefix: prefix),
            Route("/echo/*", nil, .echo, prefix: prefix),
            Route("/env", ["GET", "POST"], .env, prefix: prefix),
            Route("/headers", ["GET", "POST"], .headers, prefix: prefix),
            Route("/delay/{wait:[0-9]+}", get, .delay, name: "delay", prefix: prefix),
            Route("/healthz", get, .healthz, prefix: prefix),
            Route("/readyz", get, .readyz, prefix: prefix),
            Route("/readyz/enable", post, .readyzEnable, prefix: prefix),
            Route("/readyz/disable", post, .readyzDisable, prefix: prefix),
            Route("/fault_injection/enable", post, .faultInjectionEnable, prefix: prefix),
            Route("/fault_injection/disable", post, .faultInjectionDisable, prefix: prefix),
            Route("/fault_injection/status", get, .faultInjectionStatus, prefix: prefix),
            Route("/panic", get, .panic, prefix: prefix),
            Route("/status/{code:[0-9]+}", ["GET", "POST", "PUT"], .status, name: "status", prefix: prefix),
            Route("/store", ["POST", "PUT"], .storeWrite, prefix: prefix),
            Route("/store/{hash}", get, .storeRead, name: "store", prefix: prefix),
            Route("/cache/{key}", ["POST", "PUT"], .cacheWrite, prefix: prefix),
            Route("/cache/{key}", ["DELETE"], .cacheDelete, prefix: prefix),
            Route("/cache/{key}", get, .cacheRead, name: "cache", prefix: prefix),
            Route("/configs", get, .configs, prefix: prefix),
            Route("/token", post, .tokenGenerate, prefix: prefix),
            Route("/token/validate", get, .tokenValidate, prefix: prefix),
            Route("/api/info", get, .info, prefix: prefix),
            Route("/api/echo", nil, .echo, prefix: prefix),
            Route("/api/echo/*", nil, .echo, prefix: prefix),
            Route("/chunked", nil, .chunked, prefix: prefix),
            Route("/chunked/{wait:[0-9]+}", nil, .chunked, prefix: prefix),
            Route("/swagger.json", nil, .swagger, prefix: prefix),
        ]
    }

    /// Routes a request by method, raw path (still percent-encoded), raw query and User-Agent.
    func resolve(method: String, rawPath: Substring, rawQuery: String?, userAgent: String?) -> Resolution {
        guard let path = PathCleaner.percentDecode(rawPath) else { return .notFound }
        let cleaned = PathCleaner.routerClean(path)
        if cleaned != path {
            var location = cleaned
            if let rawQuery { location += "?" + rawQuery }
            return .redirect(location: location)
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        let trailingSlash = path.count > 1 && path.hasSuffix("/")
        var methodMismatch = false
        for route in routes {
            guard let variables = route.match(parts, trailingSlash: trailingSlash) else { continue }
            if route.requiresBrowser && !(userAgent?.hasPrefix("Mozilla") ?? false) { continue }
            if let methods = route.methods, !methods.contains(method) {
                methodMismatch = true
                continue
            }
            return .matched(route, variables)
        }
        return methodMismatch ? .methodNotAllowed : .notFound
    }
}
