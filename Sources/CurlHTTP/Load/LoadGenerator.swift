internal import CLibcurl
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A keep-alive HTTP load generator on libcurl's multi interface: fixed concurrency (closed loop) or
/// fixed rate (open loop), for a duration or a number of requests.
///
/// Each run has its own thread, multi handle and one easy handle per slot, re-used for every request so
/// connections stay alive. Latencies go into an HDR histogram; each response can also be reported
/// through `onSample`. A generator runs once.
public final class LoadGenerator: Sendable {
    private struct Control {
        var started = false
        var stopRequested = false
        var mailbox: CurlMailbox<LoadMessage>?
    }

    public let spec: LoadSpec
    private let onSample: (@Sendable (LoadSample) -> Void)?
    private let control = Mutex(Control())

    /// `onSample` is called on the generator's thread for every completed request; keep it short.
    public init(_ spec: LoadSpec, onSample: (@Sendable (LoadSample) -> Void)? = nil) {
        self.spec = spec
        self.onSample = onSample
    }

    /// Runs the load to its limit and returns the totals. Cancelling the calling task, or ``stop()``,
    /// ends it early: requests in flight are abandoned and the report covers what completed.
    ///
    /// - Throws: ``HTTPClientError`` with code `invalidRequest` for an impossible spec or a second run.
    public func run() async throws -> LoadReport {
        try spec.validate()
        try CurlGlobal.ensureInitialized()
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else {
            throw HTTPClientError(.transferFailed, "load on \(spec.url): pipe failed: errno \(errno)")
        }
        let (wakeRead, wakeWrite) = (pipeFDs[0], pipeFDs[1])
        for fd in pipeFDs {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        guard let multi = curl_multi_init() else {
            close(wakeRead)
            close(wakeWrite)
            throw HTTPClientError(.transferFailed, "load on \(spec.url): curl_multi_init failed")
        }
        let mailbox = CurlMailbox<LoadMessage>(multi: MultiPointer(raw: multi)) {
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
        }
        let alreadyStarted = control.withLock { control in
            defer { control.started = true }
            guard !control.started else { return true }
            control.mailbox = mailbox
            if control.stopRequested { mailbox.post(.stop) }
            return false
        }
        if alreadyStarted {
            curl_multi_cleanup(multi)
            close(wakeRead)
            close(wakeWrite)
            throw HTTPClientError(.invalidRequest, "load on \(spec.url): a LoadGenerator runs only once")
        }
        let spec = spec
        let onSample = onSample
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let thread = Thread {
                    let runner = LoadRunner(spec: spec, onSample: onSample, mailbox: mailbox, wakeFD: wakeRead)
                    let result = runner.run { close(wakeWrite) }
                    continuation.resume(with: result)
                }
                thread.name = "curl-load"
                thread.start()
            }
        } onCancel: {
            stop()
        }
    }

    /// Ends the run early (e.g. when the canary analysis finished); the run returns its report.
    /// Stopping before the run starts makes it return an empty report at once.
    public func stop() {
        control.withLock { control in
            control.stopRequested = true
            control.mailbox?.post(.stop)
        }
    }
}
