import CurlHTTP
import Foundation
import Synchronization

/// Cluster DNS for the local backend: maps `svc`, `svc.ns`, `svc.ns.svc` and `svc.ns.svc.cluster.local` (with an
/// optional port) to the 127.0.0.1 listener that balances over the Service's ready endpoints, so webhook URLs,
/// loadtester commands and alert addresses written for a cluster work unchanged.
public final class ServiceDirectory: Sendable {
    private struct State {
        var builtin: [String: [Int]] = [:]
        var listeners: [String: Int] = [:]
        var ingressHosts: Set<String> = []
        var ingressPort: Int?
    }
    private let state = Mutex(State())

    public init() {}

    /// Registers an in-process server as the endpoint of Service `namespace/name` (e.g. the loadtester); namespace
    /// `*` answers for the name in every namespace.
    public func registerBuiltin(namespace: String, name: String, port: Int) {
        state.withLock { $0.builtin["\(namespace)/\(name)", default: []] = [port] }
    }

    /// Endpoints of in-process servers by `namespace/name`.
    public var builtinEndpoints: [String: [Int]] { state.withLock { $0.builtin } }

    /// Listener ports by `namespace/name:port`.
    public var listeners: [String: Int] { state.withLock { $0.listeners } }

    func setListeners(_ listeners: [String: Int]) { state.withLock { $0.listeners = listeners } }

    func setIngress(port: Int, hosts: Set<String>) {
        state.withLock {
            $0.ingressPort = port
            $0.ingressHosts = hosts
        }
    }

    /// Where a request for `url` goes locally: Ingress hosts (`app.example.com`) go to the ingress with their name
    /// as the Host header, Service names to their listener, anything else unchanged.
    public func route(url: String, defaultNamespace: String) -> (url: String, host: String?) {
        guard let schemeEnd = url.range(of: "://") else { return (url, nil) }
        let afterScheme = url[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" } ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        let host = String(authority.split(separator: ":").first ?? "")
        let ingress = state.withLock { state in state.ingressHosts.contains(host) ? state.ingressPort : nil }
        if let ingress { return ("http://127.0.0.1:\(ingress)\(afterScheme[authorityEnd...])", host) }
        return (resolve(url: url, defaultNamespace: defaultNamespace), nil)
    }

    /// The local port for `name.namespace:port`, if the Service is known.
    public func port(service name: String, namespace: String, port: Int?) -> Int? {
        state.withLock { state in
            let prefix = "\(namespace)/\(name):"
            if let port, let listener = state.listeners[prefix + String(port)] { return listener }
            let candidates = state.listeners.filter { $0.key.hasPrefix(prefix) }
            if candidates.count == 1 { return candidates.first?.value }
            if let builtin = state.builtin["\(namespace)/\(name)"]?.first ?? state.builtin["*/\(name)"]?.first {
                return builtin
            }
            return candidates.sorted { $0.key < $1.key }.first?.value
        }
    }

    /// Rewrites a URL whose host is a cluster Service name to `http://127.0.0.1:<listener>`; other URLs come back as
    /// they were.
    public func resolve(url: String, defaultNamespace: String) -> String {
        guard let parts = URLParts(url),
            let (name, namespace) = Self.serviceName(parts.host, defaultNamespace: defaultNamespace),
            let local = self.port(service: name, namespace: namespace, port: parts.port ?? 80)
        else { return url }
        return "http://127.0.0.1:\(local)\(parts.pathAndQuery)"
    }

    /// Rewrites every `http://svc.ns…` URL inside a shell command.
    public func resolveURLs(in command: String, defaultNamespace: String) -> String {
        guard let regex = try? NSRegularExpression(pattern: #"https?://[A-Za-z0-9.\-]+(:[0-9]+)?"#) else {
            return command
        }
        var out = command
        let matches = regex.matches(in: command, range: NSRange(command.startIndex..., in: command)).reversed()
        for match in matches {
            guard let range = Range(match.range, in: out) else { continue }
            out.replaceSubrange(range, with: resolve(url: String(out[range]), defaultNamespace: defaultNamespace))
        }
        return out
    }

    /// `(name, namespace)` of a cluster DNS name, nil for IPs, `localhost` and outside names.
    static func serviceName(_ host: String, defaultNamespace: String) -> (String, String)? {
        if host == "localhost" || host.first?.isNumber == true { return nil }
        var parts = host.split(separator: ".").map(String.init)
        if parts.count >= 4, parts.suffix(2) == ["cluster", "local"] { parts.removeLast(2) }
        if parts.count == 3, parts[2] == "svc" { parts.removeLast() }
        switch parts.count {
        case 1: return (parts[0], defaultNamespace)
        case 2: return (parts[0], parts[1])
        default: return nil
        }
    }
}
