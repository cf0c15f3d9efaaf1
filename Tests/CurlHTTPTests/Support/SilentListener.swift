import Foundation
import TestSupport

#if canImport(Glibc)
    /// `SOCK_STREAM`: an enum case in Glibc, an `Int32` in Darwin.
    private let streamSocket = Int32(SOCK_STREAM.rawValue)
#else
    private let streamSocket = SOCK_STREAM
#endif

/// A TCP socket on 127.0.0.1 that listens but never accepts or answers: connections succeed (the
/// kernel completes them from the backlog) and requests then wait forever.
final class SilentListener: @unchecked Sendable {
    let port: Int
    private let fd: Int32

    init() throws {
        fd = socket(AF_INET, streamSocket, 0)
        guard fd >= 0 else { throw TestSupportError("socket() failed: errno \(errno)") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let fd = fd
        let ready = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 128) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ready else {
            close(fd)
            throw TestSupportError("could not listen on 127.0.0.1: errno \(errno)")
        }
        port = Int(UInt16(bigEndian: addr.sin_port))
    }

    var url: String { "http://127.0.0.1:\(port)/never" }

    deinit { close(fd) }
}
