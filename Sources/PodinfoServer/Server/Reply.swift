import HTTPTypes
import Hummingbird

/// What a podinfo handler produced: a response, or Go's behaviour after a handler panic (no response, connection
/// closed). `recordedStatus` is the first status the Go handler passed to `WriteHeader`, which the metrics label uses
/// even when the wire status differs (1xx codes are followed by an implicit 200).
struct Reply: Sendable {
    var response: Response
    var recordedStatus: Int
    var dropsConnection = false
    /// `/chunked`: the head goes out at once, the body after this pause.
    var bodyDelay: Duration?

    init(_ response: Response, recordedStatus: Int? = nil) {
        self.response = response
        self.recordedStatus = recordedStatus ?? response.status.code
    }

    static let dropped: Reply = {
        var reply = Reply(Response(status: .internalServerError))
        reply.dropsConnection = true
        return reply
    }()

    static let jsonContentType = "application/json; charset=utf-8"
    static let textContentType = "text/plain; charset=utf-8"

    /// `JSONResponseCode`: pretty JSON, `application/json; charset=utf-8`, `nosniff`.
    static func json(_ value: GoJSON, status: Int = 200) -> Reply {
        let body = Array(value.pretty.utf8)
        var headers = HTTPFields()
        headers[.contentType] = jsonContentType
        headers[.xContentTypeOptions] = "nosniff"
        if status == 204 || status == 304 {
            return Reply(Response(status: .init(code: status), headers: headers))
        }
        if (100..<200).contains(status) {
            // Go sends the 1xx as an informational response, then an implicit 200 with the body.
            return Reply(bytes(body, headers: headers, status: 200).response, recordedStatus: status)
        }
        return bytes(body, headers: headers, status: status)
    }

    /// `ErrorResponse`: HTTP 200 with the real code in the body.
    static func error(_ message: String, code: Int) -> Reply {
        json(.object([("code", .int(code)), ("message", .string(message))]))
    }

    /// A status with no body and no Content-Type (`w.WriteHeader(code)`).
    static func empty(_ status: Int) -> Reply {
        Reply(Response(status: .init(code: status), body: ResponseBody()))
    }

    /// `setRawResponseHeaders`: octet-stream, `nosniff` and `default-src 'none'`.
    static func raw(_ body: [UInt8], status: Int, extraHeaders: HTTPFields = HTTPFields()) -> Reply {
        var headers = HTTPFields()
        headers[.contentType] = "application/octet-stream"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.contentSecurityPolicy] = "default-src 'none'"
        headers.append(contentsOf: extraHeaders)
        return bytes(body, headers: headers, status: status)
    }

    /// `http.Error`: text body with a newline, `text/plain; charset=utf-8`, `nosniff`.
    static func text(_ message: String, status: Int) -> Reply {
        var headers = HTTPFields()
        headers[.contentType] = textContentType
        headers[.xContentTypeOptions] = "nosniff"
        return bytes(Array((message + "\n").utf8), headers: headers, status: status)
    }

    static func bytes(_ body: [UInt8], headers: HTTPFields, status: Int) -> Reply {
        var buffer = ByteBuffer()
        buffer.writeBytes(body)
        return Reply(Response(status: .init(code: status), headers: headers, body: ResponseBody(byteBuffer: buffer)))
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let xColor = HTTPField.Name("X-Color")!
}
