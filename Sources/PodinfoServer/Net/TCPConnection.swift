import Foundation

#if canImport(Glibc)
    /// `SOCK_STREAM`: an enum case in Glibc, an `Int32` in Darwin.
    private let streamSocket = Int32(SOCK_STREAM.rawValue)
    /// Writes to a closed peer fail with EPIPE instead of raising SIGPIPE.
    private let noSignalFlags = Int32(MSG_NOSIGNAL)
#else
    private let streamSocket = SOCK_STREAM
    /// Darwin has no `MSG_NOSIGNAL`; sockets get `SO_NOSIGPIPE` when they connect instead.
    private let noSignalFlags: Int32 = 0
#endif

/// A blocking TCP client socket with connect, read and write timeouts. Used from a dispatch queue (never from the
/// cooperative pool) by the Redis client and the echo backend client.
final class TCPConnection: @unchecked Sendable {
    private var fileDescriptor: Int32
    private var buffer: [UInt8] = []
    private var bufferStart = 0

    /// Connects to `host:port`; errors read like Go's (`dial tcp 127.0.0.1:1: connect: connection refused`).
    init(host: String, port: Int, timeout: Duration) throws {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = streamSocket
        var results: UnsafeMutablePointer<addrinfo>?
        let lookup = getaddrinfo(host, String(port), &hints, &results)
        guard lookup == 0, let first = results else {
            throw NetworkError("dial tcp: lookup \(host): \(String(cString: gai_strerror(lookup)).lowercased())")
        }
        defer { freeaddrinfo(results) }
        var lastError = NetworkError("dial tcp \(host):\(port): no address")
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            candidate = info.pointee.ai_next
            let descriptor = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            if descriptor < 0 { continue }
            if let error = Self.connect(descriptor, info.pointee.ai_addr, info.pointee.ai_addrlen, timeout: timeout) {
                Foundation.close(descriptor)
                lastError = NetworkError("dial tcp \(host):\(port): connect: \(error)")
                continue
            }
            fileDescriptor = descriptor
            var one: Int32 = 1
            setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            #if canImport(Darwin)
                setsockopt(descriptor, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
            #endif
            setTimeout(timeout)
            return
        }
        throw lastError
    }

    /// Non-blocking connect bounded by `timeout`; returns an error text or nil.
    private static func connect(
        _ descriptor: Int32,
        _ address: UnsafeMutablePointer<sockaddr>?,
        _ length: socklen_t,
        timeout: Duration
    ) -> String? {
        let flags = fcntl(descriptor, F_GETFL, 0)
        _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
        defer { _ = fcntl(descriptor, F_SETFL, flags) }
        if Foundation.connect(descriptor, address, length) == 0 { return nil }
        guard errno == EINPROGRESS else { return Self.errorText(errno) }
        var poller = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
        let ready = poll(&poller, 1, Int32(timeout.milliseconds))
        if ready == 0 { return "i/o timeout" }
        if ready < 0 { return Self.errorText(errno) }
        var socketError: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &socketError, &size)
        return socketError == 0 ? nil : Self.errorText(socketError)
    }

    /// `strerror`, lower-cased as Go prints syscall errors.
    static func errorText(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }

    /// Read and write timeout for every later call.
    func setTimeout(_ timeout: Duration) {
        let milliseconds = max(1, timeout.milliseconds)
        var value = timeval(tv_sec: .init(milliseconds / 1000), tv_usec: .init((milliseconds % 1000) * 1000))
        setsockopt(fileDescriptor, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fileDescriptor, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                send(fileDescriptor, raw.baseAddress! + offset, raw.count - offset, noSignalFlags)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw NetworkError("write: \(Self.timeoutAware(errno))")
            }
            offset += written
        }
    }

    /// Fills the internal buffer; false at end of stream.
    private func fill() throws -> Bool {
        if bufferStart > 0 && bufferStart == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            bufferStart = 0
        }
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fileDescriptor, $0.baseAddress!, $0.count, 0) }
            if count < 0 {
                if errno == EINTR { continue }
                throw NetworkError("read: \(Self.timeoutAware(errno))")
            }
            if count == 0 { return false }
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
    }

    private static func timeoutAware(_ code: Int32) -> String {
        code == EAGAIN || code == EWOULDBLOCK ? "i/o timeout" : errorText(code)
    }

    /// A line ending in CRLF, without it.
    func readLine() throws -> [UInt8] {
        while true {
            if let newline = buffer[bufferStart...].firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[bufferStart..<newline])
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                bufferStart = newline + 1
                return line
            }
            guard try fill() else { throw NetworkError("unexpected EOF") }
        }
    }

    /// Exactly `count` bytes.
    func read(count: Int) throws -> [UInt8] {
        while buffer.count - bufferStart < count {
            guard try fill() else { throw NetworkError("unexpected EOF") }
        }
        let bytes = Array(buffer[bufferStart..<bufferStart + count])
        bufferStart += count
        return bytes
    }

    /// Everything until the peer closes.
    func readToEnd() throws -> [UInt8] {
        while try fill() {}
        let bytes = Array(buffer[bufferStart...])
        bufferStart = buffer.count
        return bytes
    }

    func close() {
        if fileDescriptor >= 0 {
            Foundation.close(fileDescriptor)
            fileDescriptor = -1
        }
    }

    deinit { close() }
}

extension Duration {
    var milliseconds: Int {
        Int(components.seconds) * 1000 + Int(components.attoseconds / 1_000_000_000_000_000)
    }
}
