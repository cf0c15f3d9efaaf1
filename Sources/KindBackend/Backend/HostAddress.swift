import Foundation

/// Where the harness listens for what the cluster's pods send it (alerts, recorded webhook calls), and the address
/// the pods use for it — the same on Docker Engine (the `kind` network's gateway) and with a remote daemon, not on
/// Docker Desktop (127.0.0.1, reached as `host.docker.internal`). ``DockerHost``.
public struct HostAddress: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var listen: String
    public var advertised: String

    public init(listen: String, advertised: String) {
        self.listen = listen
        self.advertised = advertised
    }

    /// One address for both.
    public init(stringLiteral value: String) {
        self.init(listen: value, advertised: value)
    }

    public var description: String {
        listen == advertised ? listen : "\(listen) (pods reach it as \(advertised))"
    }

    /// This machine's own IPv4 address on the route to `host` (a UDP "connection" sends nothing; the kernel picks
    /// the source address), or nil when `host` does not resolve or has no route.
    public static func localAddress(towards host: String, port: Int = 2375) -> String? {
        var hints = addrinfo()
        hints.ai_family = AF_INET
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        #else
            hints.ai_socktype = SOCK_DGRAM
        #endif
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let info = result else { return nil }
        defer { freeaddrinfo(result) }
        let descriptor = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        guard connect(descriptor, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else { return nil }
        var local = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
        guard inet_ntop(AF_INET, &local.sin_addr, &buffer, socklen_t(INET_ADDRSTRLEN)) != nil else { return nil }
        return String(cString: buffer)
    }
}
