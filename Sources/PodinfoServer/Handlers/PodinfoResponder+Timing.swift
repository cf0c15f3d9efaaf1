import HTTPTypes
import Hummingbird

extension PodinfoResponder {
    /// `/delay/{wait}`: sleeps `wait` seconds then answers `{"delay": wait}`. Past `--http-server-timeout` Go's write
    /// deadline has expired, so the connection closes without a response.
    func delay(_ input: HandlerInput) async -> Reply {
        let text = input.variables["wait"] ?? ""
        guard let wait = Self.atoi(text) else { return .error(Self.atoiRangeError(text), code: 400) }
        try? await Task.sleep(for: .seconds(wait))
        if Duration.seconds(wait) >= config.httpServerTimeout { return .dropped }
        return .json(.object([("delay", .int(wait))]))
    }

    /// `/status/{code}`: `{"status": code}` with that status. Go panics in `WriteHeader` for codes outside 100–999,
    /// which drops the connection.
    func status(_ input: HandlerInput) -> Reply {
        let text = input.variables["code"] ?? ""
        guard let code = Self.atoi(text) else { return .error(Self.atoiRangeError(text), code: 400) }
        guard (100...999).contains(code) else { return .dropped }
        return .json(.object([("status", .int(code))]), status: code)
    }

    /// `/chunked/{wait}`: the 200 head (chunked, no Content-Type) goes out at once, `{"delay": wait}` after `wait`
    /// seconds. Bare `/chunked` (or an unparsable wait) picks 10…max(timeout,12)-1 seconds like `randomDelaySeconds`.
    func chunked(_ input: HandlerInput) -> Reply {
        let wait: Int
        if let text = input.variables["wait"], let parsed = Self.atoi(text) {
            wait = parsed
        } else {
            var maximum = Int(config.httpServerTimeout.components.seconds)
            if maximum <= 11 { maximum = 12 }
            wait = Int.random(in: 0..<(maximum - 10)) + 10
        }
        var headers = HTTPFields()
        headers[.connection] = "Keep-Alive"
        headers[.xContentTypeOptions] = "nosniff"
        var buffer = ByteBuffer()
        buffer.writeString(GoJSON.object([("delay", .int(wait))]).pretty)
        var reply = Reply(Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: buffer)))
        reply.response.headers[.contentLength] = nil
        reply.bodyDelay = .seconds(wait)
        return reply
    }

    /// `strconv.Atoi` for the digit-only route variables: nil when the value overflows a 64-bit int.
    static func atoi(_ text: String) -> Int? {
        Int(text)
    }

    static func atoiRangeError(_ text: String) -> String {
        var quoted = ""
        GoJSON.appendQuoted(text, to: &quoted)
        return "strconv.Atoi: parsing \(quoted): value out of range"
    }
}
