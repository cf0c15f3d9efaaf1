/// gorilla/mux's `cleanPath`: Go's `path.Clean` that keeps a trailing slash. A request whose path is not clean gets a
/// 301 to the cleaned path.
public enum PathCleaner {
    /// `path.Clean`: one slash between elements, no `.` elements, `..` resolved, rooted `..` dropped.
    public static func clean(_ path: String) -> String {
        guard !path.isEmpty else { return "." }
        let rooted = path.hasPrefix("/")
        var parts: [Substring] = []
        for element in path.split(separator: "/", omittingEmptySubsequences: true) {
            if element == "." { continue }
            if element == ".." {
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !rooted {
                    parts.append(element)
                }
                continue
            }
            parts.append(element)
        }
        let joined = parts.joined(separator: "/")
        if rooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// gorilla's `cleanPath`: adds a leading `/`, cleans, and restores a trailing `/`.
    public static func routerClean(_ path: String) -> String {
        guard !path.isEmpty else { return "/" }
        let rooted = path.hasPrefix("/") ? path : "/" + path
        var cleaned = clean(rooted)
        if rooted.hasSuffix("/") && cleaned != "/" { cleaned += "/" }
        return cleaned
    }

    /// Percent-decodes a request path as Go's `url.URL.Path` holds it; nil when an escape is malformed.
    public static func percentDecode(_ path: Substring) -> String? {
        guard path.contains("%") else { return String(path) }
        var bytes = [UInt8]()
        let utf8 = Array(path.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "%") {
                guard index + 2 < utf8.count, let high = hexValue(utf8[index + 1]), let low = hexValue(utf8[index + 2])
                else { return nil }
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
