internal import CLibcurl

/// A libcurl easy handle, confined to the thread that runs its multi loop.
struct CurlEasy {
    let raw: UnsafeMutableRawPointer

    /// A new handle, or nil when libcurl is out of memory.
    static func make() -> CurlEasy? {
        curl_easy_init().map(CurlEasy.init(raw:))
    }

    func cleanup() { curl_easy_cleanup(raw) }

    /// Sets every option of an ordinary request and returns the header list, which the caller frees
    /// (`curl_slist_free_all`) only after the transfer finished. The first failing option's code is thrown.
    func configure(
        method: String,
        url: String,
        headers: [HTTPHeader],
        host: String?,
        body: [UInt8]?,
        timeout: Duration
    ) throws(CurlOptionError) -> UnsafeMutablePointer<curl_slist>? {
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_URL, url)
        // Harness traffic to loopback must never go through a proxy picked up from the environment.
        try set(CURLOPT_NOPROXY, "127.0.0.1,localhost,::1")
        try set(CURLOPT_TIMEOUT_MS, timeout.curlMilliseconds)
        try set(CURLOPT_CONNECTTIMEOUT_MS, timeout.curlMilliseconds)
        try set(CURLOPT_TCP_NODELAY, 1)

        let upper = method.uppercased()
        switch upper {
        case "GET" where body == nil:
            try set(CURLOPT_HTTPGET, 1)
        case "HEAD":
            try set(CURLOPT_NOBODY, 1)
        default:
            if let body {
                try check(ccurl_easy_setopt_off_t(raw, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
                let rc = body.withUnsafeBufferPointer { buffer in
                    // COPYPOSTFIELDS copies `POSTFIELDSIZE` bytes, so the Swift array need not outlive the call.
                    buffer.baseAddress.map { base in
                        base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                            ccurl_easy_setopt_string(raw, CURLOPT_COPYPOSTFIELDS, $0)
                        }
                    } ?? ccurl_easy_setopt_string(raw, CURLOPT_COPYPOSTFIELDS, "")
                }
                try check(rc)
            } else if upper == "POST" {
                try set(CURLOPT_POST, 1)
                try check(ccurl_easy_setopt_off_t(raw, CURLOPT_POSTFIELDSIZE_LARGE, 0))
            }
            if upper != "POST" { try set(CURLOPT_CUSTOMREQUEST, method) }
        }

        var list: UnsafeMutablePointer<curl_slist>?
        func append(_ line: String) {
            if let grown = curl_slist_append(list, line) { list = grown }
        }
        for header in headers { append("\(header.name): \(header.value)") }
        if let host { append("Host: \(host)") }
        // Without this, curl waits up to a second for "100 Continue" before sending a large body.
        if body != nil { append("Expect:") }
        if list != nil {
            do {
                try check(ccurl_easy_setopt_slist(raw, CURLOPT_HTTPHEADER, list))
            } catch {
                curl_slist_free_all(list)
                throw error
            }
        }
        return list
    }

    func set(_ option: CURLoption, _ value: Int) throws(CurlOptionError) {
        try check(ccurl_easy_setopt_long(raw, option, value))
    }

    func set(_ option: CURLoption, _ value: String) throws(CurlOptionError) {
        try check(ccurl_easy_setopt_string(raw, option, value))
    }

    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) throws(CurlOptionError) {
        try check(ccurl_easy_setopt_pointer(raw, option, pointer))
    }

    func set(_ option: CURLoption, callback: curl_write_callback) throws(CurlOptionError) {
        try check(ccurl_easy_setopt_write_cb(raw, option, callback))
    }

    func info(_ info: CURLINFO) -> Int {
        var value = 0
        return ccurl_easy_getinfo_long(raw, info, &value) == CURLE_OK ? value : 0
    }

    private func check(_ rc: CURLcode) throws(CurlOptionError) {
        if rc != CURLE_OK { throw CurlOptionError(code: rc) }
    }
}

/// A `curl_easy_setopt` call that failed (an unsupported option or out of memory).
struct CurlOptionError: Error {
    var code: CURLcode
}
