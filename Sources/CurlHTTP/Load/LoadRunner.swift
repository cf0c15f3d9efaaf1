internal import CLibcurl
import Histogram

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Messages to a running load.
enum LoadMessage: Sendable {
    case stop
}

/// The body of a ``LoadGenerator``'s thread: one multi handle, one easy handle per slot, and no Swift
/// allocation per request unless samples are kept.
///
/// It drives libcurl with `curl_multi_socket_action` and one `poll()` over the sockets libcurl asks
/// for, so each wake-up touches only the transfers whose sockets are ready. (`curl_multi_perform`
/// checks every transfer's socket on every call, one system call each, so its cost grows with the
/// concurrency.)
final class LoadRunner {
    private let spec: LoadSpec
    private let onSample: (@Sendable (LoadSample) -> Void)?
    private let mailbox: CurlMailbox<LoadMessage>
    private let wakeFD: Int32
    private var slots: [LoadSlot] = []
    private var idle: [LoadSlot] = []
    /// The sockets libcurl wants watched; entry 0 is the wake pipe.
    private var pollSet: [pollfd] = []
    private var pollIndex: [Int32: Int] = [:]
    private var ready: [pollfd] = []
    /// When libcurl wants `curl_multi_socket_action(CURL_SOCKET_TIMEOUT)`; nil when it set no timer.
    private var timerDeadline: ContinuousClock.Instant?
    private var histogram = Histogram<UInt64>(
        lowestDiscernibleValue: 1,
        highestTrackableValue: 3_600_000_000,
        numberOfSignificantValueDigits: .three
    )
    private var countsByStatus: [Int: Int] = [:]
    private var errors = 0
    private var completed = 0
    private var issued = 0
    private var connections = 0
    private var maxLatency: Duration = .zero
    private var lastCompletion: ContinuousClock.Instant = .now

    /// `wakeFD` is the read end of the pipe that `mailbox` writes to; the runner closes it.
    init(
        spec: LoadSpec,
        onSample: (@Sendable (LoadSample) -> Void)?,
        mailbox: CurlMailbox<LoadMessage>,
        wakeFD: Int32
    ) {
        self.spec = spec
        self.onSample = onSample
        self.mailbox = mailbox
        self.wakeFD = wakeFD
        histogram.autoResize = true
        pollSet = [pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
    }

    /// Runs the load; `closeWake` is called after the mailbox closed, to release the pipe's write end.
    func run(closeWake: () -> Void) -> Result<LoadReport, HTTPClientError> {
        let multi = mailbox.multi.raw
        defer {
            _ = mailbox.close()
            closeWake()
            for slot in slots {
                if slot.busy { curl_multi_remove_handle(multi, slot.easy.raw) }
                curl_slist_free_all(slot.headerList)
                slot.easy.cleanup()
            }
            curl_multi_cleanup(multi)
            close(wakeFD)
        }
        do {
            try makeSlots(multi: multi)
        } catch {
            return .failure(error)
        }
        let start = ContinuousClock.now
        lastCompletion = start
        loop(multi: multi, start: start)
        return .success(report(start: start))
    }

    private var slotCount: Int {
        let wanted: Int
        switch spec.mode {
        case .concurrency(let count): wanted = count
        case .rate(_, let maxInFlight): wanted = maxInFlight
        }
        if case .requests(let limit) = spec.limit { return Swift.max(1, Swift.min(wanted, limit)) }
        return wanted
    }

    private func makeSlots(multi: UnsafeMutableRawPointer) throws(HTTPClientError) {
        let count = slotCount
        let this = Unmanaged.passUnretained(self).toOpaque()
        // The connection cache must hold one connection per slot, or idle connections get closed.
        ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, count)
        ccurl_multi_setopt_pointer(multi, CURLMOPT_SOCKETDATA, this)
        ccurl_multi_setopt_socket_cb(multi, CURLMOPT_SOCKETFUNCTION) { _, socket, what, context, _ in
            guard let context else { return 0 }
            Unmanaged<LoadRunner>.fromOpaque(context).takeUnretainedValue().watch(socket: socket, what: what)
            return 0
        }
        ccurl_multi_setopt_pointer(multi, CURLMOPT_TIMERDATA, this)
        ccurl_multi_setopt_timer_cb(multi, CURLMOPT_TIMERFUNCTION) { _, milliseconds, context in
            guard let context else { return 0 }
            let runner = Unmanaged<LoadRunner>.fromOpaque(context).takeUnretainedValue()
            runner.timerDeadline = milliseconds < 0 ? nil : .now + .milliseconds(milliseconds)
            return 0
        }
        for _ in 0..<count {
            guard let easy = CurlEasy.make() else {
                throw HTTPClientError(.transferFailed, "load on \(spec.url): curl_easy_init failed")
            }
            let slot = LoadSlot(easy: easy, keepsSample: spec.sampleBody)
            slots.append(slot)
            do {
                slot.headerList = try easy.configure(
                    method: spec.method,
                    url: spec.url,
                    headers: spec.headers,
                    host: spec.host,
                    body: spec.body,
                    timeout: spec.timeout
                )
                let context = Unmanaged.passUnretained(slot).toOpaque()
                try easy.set(CURLOPT_PRIVATE, pointer: context)
                try easy.set(CURLOPT_WRITEDATA, pointer: context)
                try easy.set(CURLOPT_WRITEFUNCTION) { data, size, count, context in
                    let length = size * count
                    guard let data, let context, length > 0 else { return length }
                    let slot = Unmanaged<LoadSlot>.fromOpaque(context).takeUnretainedValue()
                    let room = LoadSpec.sampleLength - slot.sample.count
                    if slot.keepsSample && room > 0 {
                        UnsafeRawPointer(data).withMemoryRebound(to: UInt8.self, capacity: length) {
                            slot.sample.append(
                                contentsOf: UnsafeBufferPointer(start: $0, count: Swift.min(room, length))
                            )
                        }
                    }
                    return length
                }
            } catch {
                throw HTTPClientError(option: error, method: spec.method, url: spec.url)
            }
        }
        idle = slots.reversed()
    }

    /// libcurl's socket callback: start, change or stop watching `socket`.
    private func watch(socket: Int32, what: Int32) {
        if what == CURL_POLL_REMOVE {
            guard let index = pollIndex.removeValue(forKey: socket) else { return }
            let last = pollSet.count - 1
            if index != last {
                pollSet[index] = pollSet[last]
                pollIndex[pollSet[index].fd] = index
            }
            pollSet.removeLast()
            return
        }
        var events: Int16 = 0
        if what & CURL_POLL_IN != 0 { events |= Int16(POLLIN) }
        if what & CURL_POLL_OUT != 0 { events |= Int16(POLLOUT) }
        if let index = pollIndex[socket] {
            pollSet[index].events = events
        } else {
            pollIndex[socket] = pollSet.count
            pollSet.append(pollfd(fd: socket, events: events, revents: 0))
        }
    }

    private func loop(multi: UnsafeMutableRawPointer, start: ContinuousClock.Instant) {
        let deadline: ContinuousClock.Instant? =
            if case .duration(let duration) = spec.limit { start + duration } else { nil }
        let requestLimit: Int? = if case .requests(let count) = spec.limit { count } else { nil }
        let interval: Duration? = if case .rate(let rate, _) = spec.mode { .seconds(1 / rate) } else { nil }
        var nextDue = start
        var dueCount = 0
        var inFlight = 0
        var running: Int32 = 0

        func mayIssue(at due: ContinuousClock.Instant) -> Bool {
            if let requestLimit, issued >= requestLimit { return false }
            if let deadline, due >= deadline { return false }
            return true
        }

        // Stopped before it started: send nothing.
        if drainWakePipe() { return }
        while true {
            var now = ContinuousClock.now
            if let interval {
                // Open loop: every request due by now goes out if a slot is free; a late one keeps its due time.
                while nextDue <= now && mayIssue(at: nextDue), let slot = idle.popLast() {
                    if issue(slot, due: nextDue, multi: multi, start: start) { inFlight += 1 }
                    dueCount += 1
                    nextDue = start + interval * dueCount
                }
            } else {
                while mayIssue(at: now), let slot = idle.popLast() {
                    if issue(slot, due: now, multi: multi, start: start) { inFlight += 1 }
                }
            }
            if inFlight == 0 && !(interval != nil && mayIssue(at: nextDue)) { break }

            // A handle added just now asked for an immediate timeout: drive it before polling, because
            // poll() only sees sockets of transfers libcurl already started.
            now = ContinuousClock.now
            if let timer = timerDeadline, timer <= now {
                timerDeadline = nil
                curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running)
                inFlight -= completeFinished(multi: multi, start: start)
                continue
            }

            var timeout = Duration.seconds(1)
            if let timer = timerDeadline { timeout = Swift.min(timeout, timer - now) }
            if interval != nil, mayIssue(at: nextDue), !idle.isEmpty { timeout = Swift.min(timeout, nextDue - now) }
            if inFlight == 0, let deadline { timeout = Swift.min(timeout, deadline - now) }
            let readyCount = pollSet.withUnsafeMutableBufferPointer { Self.poll($0, timeout: timeout) }
            if readyCount > 0 {
                // Socket actions change `pollSet` through the socket callback: act on a copy.
                ready.removeAll(keepingCapacity: true)
                for entry in pollSet where entry.revents != 0 { ready.append(entry) }
                for entry in ready {
                    if entry.fd == wakeFD {
                        if drainWakePipe() { return }
                        continue
                    }
                    var flags: Int32 = 0
                    if entry.revents & Int16(POLLIN | POLLHUP) != 0 { flags |= CURL_CSELECT_IN }
                    if entry.revents & Int16(POLLOUT) != 0 { flags |= CURL_CSELECT_OUT }
                    if entry.revents & Int16(POLLERR | POLLNVAL) != 0 { flags |= CURL_CSELECT_ERR }
                    curl_multi_socket_action(multi, entry.fd, flags, &running)
                }
            } else if readyCount == 0, let timer = timerDeadline, timer <= ContinuousClock.now {
                timerDeadline = nil
                curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running)
            }
            inFlight -= completeFinished(multi: multi, start: start)
        }
    }

    /// Waits for socket events up to `timeout`: to the nanosecond on Linux, so a request goes out at its due
    /// time rather than up to a millisecond late (which would count as latency).
    private static func poll(_ set: UnsafeMutableBufferPointer<pollfd>, timeout: Duration) -> Int32 {
        let (seconds, attoseconds) = Swift.max(timeout, .zero).components
        #if os(Linux)
            // The loop never waits longer than a second, so this cannot overflow.
            return ccurl_poll_ns(
                set.baseAddress,
                nfds_t(set.count),
                seconds * 1_000_000_000 + attoseconds / 1_000_000_000
            )
        #else
            let milliseconds = Int32(
                clamping: seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
            )
            return poll(set.baseAddress, nfds_t(set.count), milliseconds)
        #endif
    }

    /// Empties the wake pipe and reads the mailbox; returns whether the run was stopped.
    private func drainWakePipe() -> Bool {
        var buffer = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        while withUnsafeMutableBytes(of: &buffer, { read(wakeFD, $0.baseAddress, $0.count) }) > 0 {}
        return mailbox.take().contains { $0 == .stop }
    }

    /// Starts a request on `slot`; returns false (and records a transport error) when libcurl refused it.
    private func issue(
        _ slot: LoadSlot,
        due: ContinuousClock.Instant,
        multi: UnsafeMutableRawPointer,
        start: ContinuousClock.Instant
    ) -> Bool {
        slot.due = due
        if slot.retried {
            slot.retried = false
            try? slot.easy.set(CURLOPT_FRESH_CONNECT, 0)
        }
        if slot.keepsSample { slot.sample.removeAll(keepingCapacity: true) }
        issued += 1
        guard curl_multi_add_handle(multi, slot.easy.raw) == CURLM_OK else {
            idle.append(slot)
            record(slot: slot, status: 0, end: .now, start: start)
            return false
        }
        slot.busy = true
        return true
    }

    private static let idempotent: Set<String> = ["GET", "HEAD", "OPTIONS", "DELETE"]

    /// Records every finished transfer and frees its slot; returns how many finished.
    private func completeFinished(multi: UnsafeMutableRawPointer, start: ContinuousClock.Instant) -> Int {
        var finished = 0
        var remaining: Int32 = 0
        var now: ContinuousClock.Instant?
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle else { continue }
            var context: UnsafeMutableRawPointer?
            guard ccurl_easy_getinfo_pointer(handle, CURLINFO_PRIVATE, &context) == CURLE_OK, let context else {
                continue
            }
            let slot = Unmanaged<LoadSlot>.fromOpaque(context).takeUnretainedValue()
            let end = now ?? ContinuousClock.now
            now = end
            let result = message.pointee.data.result
            let opened = slot.easy.info(CURLINFO_NUM_CONNECTS)
            connections += opened
            curl_multi_remove_handle(multi, slot.easy.raw)
            // A keep-alive connection the server closed just as the request went out (nginx closes its idle
            // connections when a reload retires a worker; unread bytes make that a reset) ends with no answer at
            // all. An idempotent request is then sent again once, on a new connection, as browsers and HTTP
            // clients do (RFC 9110 §9.2.2); libcurl retries itself only when the close came before the send.
            if !slot.retried, opened == 0, Self.idempotent.contains(spec.method),
                result == CURLE_RECV_ERROR || result == CURLE_SEND_ERROR || result == CURLE_GOT_NOTHING
            {
                // A fresh connection: the pool's other idle connections to the same retired worker died with it.
                slot.retried = true
                try? slot.easy.set(CURLOPT_FRESH_CONNECT, 1)
                if slot.keepsSample { slot.sample.removeAll(keepingCapacity: true) }
                if curl_multi_add_handle(multi, slot.easy.raw) == CURLM_OK { continue }
            }
            let status = result == CURLE_OK ? slot.easy.info(CURLINFO_RESPONSE_CODE) : 0
            slot.busy = false
            idle.append(slot)
            finished += 1
            record(slot: slot, status: status, end: end, start: start)
        }
        return finished
    }

    private func record(slot: LoadSlot, status: Int, end: ContinuousClock.Instant, start: ContinuousClock.Instant) {
        let latency = end - slot.due
        completed += 1
        lastCompletion = end
        if status == 0 {
            errors += 1
        } else {
            countsByStatus[status, default: 0] += 1
        }
        _ = histogram.record(latency.wholeMicroseconds)
        if latency > maxLatency { maxLatency = latency }
        onSample?(
            LoadSample(
                start: slot.due - start,
                status: status,
                latency: latency,
                bodySample: slot.keepsSample ? slot.sample : nil
            )
        )
    }

    private func report(start: ContinuousClock.Instant) -> LoadReport {
        let elapsed = Swift.max(lastCompletion, start) - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        func percentile(_ p: Double) -> Duration {
            completed == 0 ? .zero : .microseconds(Int64(clamping: histogram.valueAtPercentile(p)))
        }
        return LoadReport(
            requests: completed,
            elapsed: elapsed,
            requestsPerSecond: seconds > 0 ? Double(completed) / seconds : 0,
            countsByStatus: countsByStatus,
            errors: errors,
            p50: percentile(50),
            p90: percentile(90),
            p99: percentile(99),
            max: maxLatency,
            connectionsOpened: connections
        )
    }
}
