import Hummingbird
import NIOCore

/// The per-request context: podinfo's handlers need the connection itself, to drop it the way Go's `net/http` does
/// when a handler panics (`/status/42`, `/delay/30` past the write timeout).
public struct PodinfoRequestContext: InitializableFromSource {
    public typealias Source = ApplicationRequestContextSource

    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        channel = source.channel
    }

    /// Closes the connection without a response.
    func dropConnection() {
        channel.close(promise: nil)
    }

    /// `host:port` of the client, as Go's `r.RemoteAddr`.
    var remoteAddress: String {
        guard let address = channel.remoteAddress else { return "" }
        return "\(address.ipAddress ?? ""):\(address.port ?? 0)"
    }
}
