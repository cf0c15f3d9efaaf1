internal import CLibcurl

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension HTTPClientError {
    /// The error for a transfer that ended with `rc`; `detail` is curl's error buffer, which names the
    /// host and port; `osErrno` is the system error behind it (e.g. `ECONNREFUSED`), 0 if none.
    init(curlCode rc: CURLcode, method: String, url: String, detail: String, osErrno: Int = 0) {
        let code: Code
        switch rc {
        case CURLE_COULDNT_CONNECT: code = .connectFailed
        case CURLE_OPERATION_TIMEDOUT: code = .timedOut
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: code = .resolveFailed
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_FUNCTION_ARGUMENT: code = .invalidRequest
        default: code = .transferFailed
        }
        var text = detail.isEmpty ? CurlGlobal.text(rc) : detail
        if osErrno != 0, let reason = strerror(Int32(clamping: osErrno)).map({ String(cString: $0) }),
            !text.contains(reason)
        {
            text += " (\(reason))"
        }
        self.init(code, "\(method) \(url): \(text) (curl error \(rc.rawValue))", curlCode: Int(rc.rawValue))
    }

    /// The request never reached the transfer thread's multi handle because an option was rejected.
    init(option error: CurlOptionError, method: String, url: String) {
        self.init(
            .invalidRequest,
            "\(method) \(url): curl rejected an option: \(CurlGlobal.text(error.code))",
            curlCode: Int(error.code.rawValue)
        )
    }

    static func shutdown(method: String, url: String) -> HTTPClientError {
        HTTPClientError(.shutdown, "\(method) \(url): the HTTP client was shut down before the response arrived")
    }
}
