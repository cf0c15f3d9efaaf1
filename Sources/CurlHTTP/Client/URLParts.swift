/// An absolute URL split into what the harness reads from it: `scheme://[user[:password]@]host[:port][/path][?query]`.
///
/// This is a splitter, not a validator: no percent-decoding and no checks beyond "has a scheme, a host and a numeric
/// port when one is written". The authority ends at the first `/`, `?` or `#`; an IPv6 host is written in brackets
/// (`http://[::1]:8080/`), and ``host`` holds it without them.
public struct URLParts: Sendable, Hashable {
    /// `http`, `tcp`, `oci`, … as written.
    public var scheme: String
    /// The user info before `@`, when there is one (`tcp://user:secret@redis:6379`).
    public var user: String?
    public var password: String?
    /// The host as written (case kept), without IPv6 brackets.
    public var host: String
    /// The port when the URL names one.
    public var port: Int?
    /// Everything after the authority: `""`, `/path`, `/path?query`, `?query`.
    public var pathAndQuery: String

    /// Nil without `://`, without a host, or with a port that is not a number.
    public init?(_ url: String) {
        guard let schemeEnd = url.firstRange(of: "://") else { return nil }
        scheme = String(url[..<schemeEnd.lowerBound])
        let afterScheme = url[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? afterScheme.endIndex
        var authority = afterScheme[..<authorityEnd]
        pathAndQuery = String(afterScheme[authorityEnd...])
        if let at = authority.lastIndex(of: "@") {
            let credentials = authority[..<at]
            authority = authority[authority.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                user = String(credentials[..<colon])
                password = String(credentials[credentials.index(after: colon)...])
            } else {
                user = String(credentials)
            }
            if user == "" { user = nil }
        }
        let portText: Substring?
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            portText = after.hasPrefix(":") ? after.dropFirst() : nil
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            portText = authority[authority.index(after: colon)...]
        } else {
            host = String(authority)
            portText = nil
        }
        guard !host.isEmpty else { return nil }
        if let portText, !portText.isEmpty {
            guard let port = Int(portText), (0...65535).contains(port) else { return nil }
            self.port = port
        }
    }

    /// The authority without user info, as a `Host` header carries it: `host`, `host:port`, `[::1]:port`.
    public var hostAndPort: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port.map { "\(name):\($0)" } ?? name
    }
}
