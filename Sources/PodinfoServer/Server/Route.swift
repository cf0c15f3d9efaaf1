/// One gorilla/mux route of podinfo's router: a path template, its methods, and the metrics label it records under.
struct Route: Sendable {
    /// What a matched route does; the responder switches on it.
    enum Endpoint: Sendable {
        case index, info, version, echo, env, headers, delay, healthz, readyz, readyzEnable, readyzDisable
        case faultInjectionEnable, faultInjectionDisable, faultInjectionStatus, panic, status
        case storeWrite, storeRead, cacheWrite, cacheDelete, cacheRead, configs, tokenGenerate, tokenValidate
        case chunked, metrics, swagger
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        /// `{name}` matches one non-empty segment; `{name:[0-9]+}` only digits.
        case variable(name: String, digitsOnly: Bool)
    }

    var segments: [Segment]
    /// `PathPrefix(...)`: the template matches any path that starts with it.
    var isPrefix: Bool
    /// nil accepts every method.
    var methods: Set<String>?
    /// The `^Mozilla.*` User-Agent matcher of the HTML index route.
    var requiresBrowser = false
    /// The `/` route, which under a prefix `/foo` answers both `/foo` and `/foo/`.
    var isRoot: Bool
    var endpoint: Endpoint
    /// `urlToLabel(routeName || pathTemplate)`.
    var label: String

    /// - Parameters:
    ///   - template: gorilla's template, e.g. `/status/{code:[0-9]+}`; a trailing `*` means PathPrefix.
    ///   - name: the route name (`delay`, `status`, `store`, `cache`), which wins over the template for the label.
    init(
        _ template: String,
        _ methods: Set<String>?,
        _ endpoint: Endpoint,
        name: String? = nil,
        prefix: String,
        requiresBrowser: Bool = false
    ) {
        var path = template
        isPrefix = path.hasSuffix("*")
        if isPrefix { path.removeLast() }
        isRoot = path == "/"
        // Routes are registered under the prefix; "/" under "/foo" is "/foo" (and "/foo/" is served as well).
        let full = prefix == "/" ? path : prefix + (path == "/" ? "" : path)
        segments = full.split(separator: "/", omittingEmptySubsequences: true).map { part in
            guard part.hasPrefix("{"), part.hasSuffix("}") else { return .literal(String(part)) }
            let inner = part.dropFirst().dropLast()
            let pieces = inner.split(separator: ":", maxSplits: 1)
            return .variable(name: String(pieces[0]), digitsOnly: pieces.count > 1)
        }
        if isPrefix { segments.append(.literal("")) }
        self.methods = methods
        self.endpoint = endpoint
        self.requiresBrowser = requiresBrowser
        label = Route.urlToLabel(name ?? full + (isPrefix ? "/" : ""))
    }

    /// podinfo's `urlToLabel`: runs of `[^a-zA-Z0-9]` become `_`, trimmed, lower-cased, `root` when empty.
    static func urlToLabel(_ path: String) -> String {
        var out = ""
        var pendingUnderscore = false
        for character in path.unicodeScalars {
            let isAlphanumeric =
                character.isASCII && (character.properties.isAlphabetic || ("0"..."9").contains(character))
            if isAlphanumeric {
                if pendingUnderscore && !out.isEmpty { out += "_" }
                pendingUnderscore = false
                out.unicodeScalars.append(character)
            } else {
                pendingUnderscore = true
            }
        }
        return out.isEmpty ? "root" : out.lowercased()
    }

    /// Matches the path's segments; returns the captured variables, or nil.
    func match(_ parts: [Substring], trailingSlash: Bool) -> [String: String]? {
        var variables: [String: String] = [:]
        if isPrefix {
            // Template "/echo/" matches "/echo/" and anything below it.
            let fixed = segments.dropLast()
            guard parts.count >= fixed.count, parts.count > fixed.count || trailingSlash else { return nil }
            for (segment, part) in zip(fixed, parts) {
                guard case .literal(let literal) = segment, literal == part else { return nil }
            }
            return variables
        }
        if trailingSlash && !(isRoot && !segments.isEmpty) { return nil }
        guard parts.count == segments.count else { return nil }
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let literal):
                guard literal == part else { return nil }
            case .variable(let name, let digitsOnly):
                if digitsOnly && !part.allSatisfy({ $0.isASCII && $0.isNumber }) { return nil }
                variables[name] = String(part)
            }
        }
        return variables
    }
}
