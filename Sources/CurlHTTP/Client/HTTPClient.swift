internal import CLibcurl
import Foundation
import Synchronization

/// An HTTP/1.1 client over libcurl for ordinary requests (probes, metrics scrapes, admin calls).
///
/// All libcurl work happens on one dedicated thread that owns a curl multi handle; async callers
/// only enqueue and await, so they never block Swift's cooperative pool. The multi handle's
/// connection cache keeps connections alive between requests. The thread starts on the first
/// request and stops on ``shutdown()``; a later request starts a new one.
public final class HTTPClient: Sendable {
    /// The process-wide client.
    public static let shared = HTTPClient()

    private struct State {
        var mailbox: CurlMailbox<ClientMessage>?
        var nextID = 0
    }

    private let state = Mutex(State())

    public init() {}

    deinit { shutdown() }

    /// Sends `request` and returns its response. HTTP error statuses (4xx, 5xx) are responses, not errors.
    ///
    /// - Throws: ``HTTPClientError`` when no response arrived (connection refused, timeout, bad URL,
    ///   shutdown), `CancellationError` when the calling task was cancelled (the transfer is aborted).
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try Task.checkCancellation()
        let (mailbox, id) = try mailboxAndID(for: request)
        let cancelled = CancelFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let submission = ClientSubmission(
                    id: id,
                    request: request,
                    continuation: continuation,
                    cancelled: cancelled
                )
                if !mailbox.post(.submit(submission)) {
                    continuation.resume(throwing: HTTPClientError.shutdown(method: request.method, url: request.url))
                }
            }
        } onCancel: {
            cancelled.set()
            mailbox.post(.cancel(id: id))
        }
    }

    /// A `GET`; `host` overrides the `Host` header (ingress routing by name).
    public func get(
        _ url: String,
        headers: [HTTPHeader] = [],
        host: String? = nil,
        timeout: Duration = .seconds(10)
    ) async throws -> HTTPResponse {
        try await send(HTTPRequest(method: "GET", url: url, headers: headers, timeout: timeout, host: host))
    }

    /// A `POST` of a JSON document (`Content-Type: application/json` unless `headers` name one).
    public func post(
        _ url: String,
        json: String,
        headers: [HTTPHeader] = [],
        timeout: Duration = .seconds(10)
    ) async throws -> HTTPResponse {
        var all = headers
        if !headers.contains(where: { $0.name.lowercased() == "content-type" }) {
            all.append(HTTPHeader("Content-Type", "application/json"))
        }
        return try await send(
            HTTPRequest(method: "POST", url: url, headers: all, body: Array(json.utf8), timeout: timeout)
        )
    }

    /// Stops the transfer thread; requests still in flight fail with ``HTTPClientError/Code/shutdown``.
    /// Returns at once (the thread finishes on its own). A later request starts a new thread.
    public func shutdown() {
        let mailbox = state.withLock { state in
            defer { state.mailbox = nil }
            return state.mailbox
        }
        mailbox?.post(.stop)
    }

    private func mailboxAndID(for request: HTTPRequest) throws -> (CurlMailbox<ClientMessage>, Int) {
        try CurlGlobal.ensureInitialized()
        return try state.withLock { state throws(HTTPClientError) in
            state.nextID += 1
            if let mailbox = state.mailbox { return (mailbox, state.nextID) }
            guard let multi = curl_multi_init() else {
                throw HTTPClientError(.transferFailed, "\(request.method) \(request.url): curl_multi_init failed")
            }
            // Keep enough idle connections for bursts of parallel requests to the same few servers.
            ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, 64)
            let mailbox = CurlMailbox<ClientMessage>(multi: MultiPointer(raw: multi))
            let thread = Thread {
                ClientLoop(mailbox: mailbox).run()
            }
            thread.name = "curl-http-client"
            thread.start()
            state.mailbox = mailbox
            return (mailbox, state.nextID)
        }
    }
}
