import Foundation
import Synchronization

#if canImport(Glibc)
    /// `SOCK_STREAM`: an enum case in Glibc, an `Int32` in Darwin.
    private let streamSocket = Int32(SOCK_STREAM.rawValue)
#else
    private let streamSocket = SOCK_STREAM
#endif

/// Hands out TCP ports on 127.0.0.1 that were free a moment ago, never the same one twice in a process (the kernel may
/// offer a just-released port again before the component that got it has bound it). The record is process-wide:
/// `rollout-e2e run` starts one stack per scenario side by side, each with its own allocator.
public final class PortAllocator: Sendable {
    private static let handedOut = Mutex<Set<Int>>([])

    public init() {}

    /// A free port; throws when the kernel will not give one.
    public func next() throws -> Int {
        for _ in 0..<64 {
            let port = try Self.ephemeralPort()
            let fresh = Self.handedOut.withLock { $0.insert(port).inserted }
            if fresh { return port }
        }
        throw HarnessServerError("no free TCP port on 127.0.0.1 after 64 attempts")
    }

    /// Binds 127.0.0.1:0 and returns the port the kernel chose.
    static func ephemeralPort() throws -> Int {
        let fd = socket(AF_INET, streamSocket, 0)
        guard fd >= 0 else { throw HarnessServerError("socket() failed: errno \(errno)") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw HarnessServerError("bind(127.0.0.1:0) failed: errno \(errno)") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Whether something accepts TCP connections on `host`:`port` (an IPv4 address; 127.0.0.1 by default).
    public static func isListening(_ port: Int, host: String = "127.0.0.1") -> Bool {
        let fd = socket(AF_INET, streamSocket, 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr(host)
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
