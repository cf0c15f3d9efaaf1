internal import CLibcurl

/// One request in flight; lives on the transfer thread, found by its easy handle.
final class ClientTransfer {
    let submission: ClientSubmission
    let easy: CurlEasy
    let started: ContinuousClock.Instant
    var headerList: UnsafeMutablePointer<curl_slist>?
    var body: [UInt8] = []
    var headers: [HTTPHeader] = []
    let errorBuffer: UnsafeMutablePointer<CChar>

    init(submission: ClientSubmission, easy: CurlEasy) {
        self.submission = submission
        self.easy = easy
        self.started = .now
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit { errorBuffer.deallocate() }

    /// Takes one raw header line (`Name: value\r\n`, or a status line that starts a new response).
    func receiveHeaderLine(_ line: UnsafeBufferPointer<UInt8>) {
        var text = Substring(String(decoding: line, as: UTF8.self))
        while let last = text.last, last.isNewline { text.removeLast() }
        if text.hasPrefix("HTTP/") {
            // A new response (after 100 Continue or an informational status): keep only the final one's headers.
            headers.removeAll()
            return
        }
        guard let colon = text.firstIndex(of: ":") else { return }
        let name = text[..<colon].trimmingSpaces
        let value = text[text.index(after: colon)...].trimmingSpaces
        headers.append(HTTPHeader(String(name), String(value)))
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}
