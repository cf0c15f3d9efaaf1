internal import CLibcurl

/// The body of ``HTTPClient``'s transfer thread: one multi handle, whose connection cache keeps
/// connections alive between requests, and a small pool of reusable easy handles.
final class ClientLoop {
    private let mailbox: CurlMailbox<ClientMessage>
    private var transfers: [UnsafeMutableRawPointer: ClientTransfer] = [:]
    private var handleByID: [Int: UnsafeMutableRawPointer] = [:]
    private var idle: [CurlEasy] = []
    private static let maxIdleHandles = 32

    init(mailbox: CurlMailbox<ClientMessage>) {
        self.mailbox = mailbox
    }

    func run() {
        let multi = mailbox.multi.raw
        var stopping = false
        while !stopping {
            for message in mailbox.take() {
                switch message {
                case .submit(let submission): start(submission, multi: multi)
                case .cancel(let id): cancel(id, multi: multi)
                case .stop: stopping = true
                }
            }
            if stopping { break }
            // Newly added handles are driven now, before polling: `curl_multi_poll` only waits on
            // sockets libcurl already knows about.
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            completeFinished(multi: multi)
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        for message in mailbox.close() {
            if case .submit(let submission) = message {
                let request = submission.request
                submission.continuation.resume(
                    throwing: HTTPClientError.shutdown(method: request.method, url: request.url)
                )
            }
        }
        for transfer in Array(transfers.values) {
            let request = transfer.submission.request
            finish(transfer, multi: multi, .failure(HTTPClientError.shutdown(method: request.method, url: request.url)))
        }
        for easy in idle { easy.cleanup() }
        idle.removeAll()
        curl_multi_cleanup(multi)
    }

    private func start(_ submission: ClientSubmission, multi: UnsafeMutableRawPointer) {
        let request = submission.request
        if submission.cancelled.isSet {
            submission.continuation.resume(throwing: CancellationError())
            return
        }
        guard let easy = idle.popLast() ?? CurlEasy.make() else {
            submission.continuation.resume(
                throwing: HTTPClientError(.transferFailed, "\(request.method) \(request.url): curl_easy_init failed")
            )
            return
        }
        let transfer = ClientTransfer(submission: submission, easy: easy)
        do {
            transfer.headerList = try easy.configure(
                method: request.method,
                url: request.url,
                headers: request.headers,
                host: request.host,
                body: request.body,
                timeout: request.timeout
            )
            let context = Unmanaged.passUnretained(transfer).toOpaque()
            try easy.set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(transfer.errorBuffer))
            try easy.set(CURLOPT_WRITEDATA, pointer: context)
            try easy.set(CURLOPT_WRITEFUNCTION) { data, size, count, context in
                let length = size * count
                guard let data, let context, length > 0 else { return length }
                let transfer = Unmanaged<ClientTransfer>.fromOpaque(context).takeUnretainedValue()
                UnsafeRawPointer(data).withMemoryRebound(to: UInt8.self, capacity: length) {
                    transfer.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
                }
                return length
            }
            try easy.set(CURLOPT_HEADERDATA, pointer: context)
            try easy.set(CURLOPT_HEADERFUNCTION) { data, size, count, context in
                let length = size * count
                guard let data, let context, length > 0 else { return length }
                let transfer = Unmanaged<ClientTransfer>.fromOpaque(context).takeUnretainedValue()
                UnsafeRawPointer(data).withMemoryRebound(to: UInt8.self, capacity: length) {
                    transfer.receiveHeaderLine(UnsafeBufferPointer(start: $0, count: length))
                }
                return length
            }
        } catch {
            curl_slist_free_all(transfer.headerList)
            recycle(easy)
            submission.continuation.resume(
                throwing: HTTPClientError(option: error, method: request.method, url: request.url)
            )
            return
        }
        let rc = curl_multi_add_handle(multi, easy.raw)
        guard rc == CURLM_OK else {
            curl_slist_free_all(transfer.headerList)
            recycle(easy)
            let text = curl_multi_strerror(rc).map { String(cString: $0) } ?? "error \(rc.rawValue)"
            submission.continuation.resume(
                throwing: HTTPClientError(
                    .transferFailed,
                    "\(request.method) \(request.url): curl_multi_add_handle: \(text)"
                )
            )
            return
        }
        transfers[easy.raw] = transfer
        handleByID[submission.id] = easy.raw
    }

    private func cancel(_ id: Int, multi: UnsafeMutableRawPointer) {
        // Unknown: already finished, or not started yet (then `start` sees the flag).
        guard let handle = handleByID[id], let transfer = transfers[handle] else { return }
        finish(transfer, multi: multi, .failure(CancellationError()))
    }

    private func completeFinished(multi: UnsafeMutableRawPointer) {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                let transfer = transfers[handle]
            else { continue }
            let rc = message.pointee.data.result
            let request = transfer.submission.request
            if rc == CURLE_OK {
                let response = HTTPResponse(
                    status: transfer.easy.info(CURLINFO_RESPONSE_CODE),
                    headers: transfer.headers,
                    body: transfer.body,
                    latency: .now - transfer.started
                )
                finish(transfer, multi: multi, .success(response))
            } else {
                let detail = String(cString: transfer.errorBuffer)
                let error = HTTPClientError(
                    curlCode: rc,
                    method: request.method,
                    url: request.url,
                    detail: detail,
                    osErrno: transfer.easy.info(CURLINFO_OS_ERRNO)
                )
                finish(transfer, multi: multi, .failure(error))
            }
        }
    }

    private func finish(
        _ transfer: ClientTransfer,
        multi: UnsafeMutableRawPointer,
        _ result: Result<HTTPResponse, any Error>
    ) {
        curl_multi_remove_handle(multi, transfer.easy.raw)
        transfers[transfer.easy.raw] = nil
        handleByID[transfer.submission.id] = nil
        curl_slist_free_all(transfer.headerList)
        transfer.headerList = nil
        recycle(transfer.easy)
        transfer.submission.continuation.resume(with: result)
    }

    private func recycle(_ easy: CurlEasy) {
        if idle.count < Self.maxIdleHandles {
            curl_easy_reset(easy.raw)
            idle.append(easy)
        } else {
            easy.cleanup()
        }
    }
}
