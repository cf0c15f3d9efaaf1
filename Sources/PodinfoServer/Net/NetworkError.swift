import NIOCore
import NIOPosix

/// A network failure, worded like Go's net errors so podinfo's messages keep their shape.
struct NetworkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }

    /// A failed connect to `host:port` as Go's dialer words it: `dial tcp 127.0.0.1:1: connect: connection refused`,
    /// `dial tcp: lookup nowhere.invalid: name or service not known`, `dial tcp 10.0.0.1:80: connect: i/o timeout`.
    static func dial(_ error: any Error, host: String, port: Int) -> NetworkError {
        if let failure = error as? NIOConnectionError {
            if let lookup = (failure.dnsAError ?? failure.dnsAAAAError) as? SocketAddressError.UnknownHost {
                return NetworkError("dial tcp: lookup \(host): \(lookup.errorDescription.lowercased())")
            }
            if let last = failure.connectionErrors.last {
                return NetworkError("dial tcp \(host):\(port): connect: \(describe(last.error))")
            }
            return NetworkError("dial tcp: lookup \(host): no such host")
        }
        return NetworkError("dial tcp \(host):\(port): connect: \(describe(error))")
    }

    /// The system error behind `error` as Go prints it (`connection refused`, `i/o timeout`), or NIO's own text.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as IOError: systemErrorText(error.errnoCode)
        case ChannelError.connectTimeout: "i/o timeout"
        case let error as NetworkError: error.description
        default: "\(error)"
        }
    }
}
