internal import CLibcurl

/// `curl_global_init`, run once per process before the first handle is made.
enum CurlGlobal {
    private static let result: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    /// Initialises libcurl on first use; throws when libcurl could not initialise (e.g. out of memory).
    static func ensureInitialized() throws(HTTPClientError) {
        let rc = result
        guard rc == CURLE_OK else {
            throw HTTPClientError(
                .invalidRequest,
                "curl_global_init failed: \(CurlGlobal.text(rc))",
                curlCode: Int(rc.rawValue)
            )
        }
    }

    /// curl's one-line description of `rc`.
    static func text(_ rc: CURLcode) -> String {
        guard let cString = curl_easy_strerror(rc) else { return "curl error \(rc.rawValue)" }
        return String(cString: cString)
    }
}

extension Duration {
    /// Whole milliseconds, at least 1 (curl reads 0 as "no timeout").
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        let ms = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return Swift.max(1, Int(clamping: ms))
    }

    /// Whole microseconds, never negative.
    var wholeMicroseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        return UInt64(seconds) * 1_000_000 + UInt64(attoseconds / 1_000_000_000_000)
    }
}
