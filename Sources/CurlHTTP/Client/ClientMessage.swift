import Synchronization

/// What async callers send to the client's transfer thread.
enum ClientMessage: Sendable {
    case submit(ClientSubmission)
    case cancel(id: Int)
    case stop
}

/// One request waiting for its response.
struct ClientSubmission: Sendable {
    var id: Int
    var request: HTTPRequest
    var continuation: CheckedContinuation<HTTPResponse, any Error>
    /// Set when the caller's task is cancelled, possibly before the submission reached the loop.
    var cancelled: CancelFlag
}

/// Whether a request's task was cancelled; shared by the caller and the transfer thread.
final class CancelFlag: Sendable {
    private let flag = Atomic(false)
    var isSet: Bool { flag.load(ordering: .acquiring) }
    func set() { flag.store(true, ordering: .releasing) }
}
