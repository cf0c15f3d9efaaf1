import CurlHTTP
import Dispatch
import Foundation

/// The HTTP/1.1 client `/echo` uses to fan a request out to `--backend-url`s: one `POST` per backend on its own
/// connection (`Connection: close`), bounded by `--http-client-timeout`.
struct BackendClient: Sendable {
    /// A backend's answer.
    struct Answer: Sendable {
        var status: Int
        var body: [UInt8]
    }

    let timeout: Duration
    private static let queue = DispatchQueue(label: "podinfo.backends", attributes: .concurrent)

    /// POSTs `body`; throws ``NetworkError`` worded like Go's client (`Post "<url>": dial tcp …`).
    func post(url: String, body: [UInt8], headers: [(String, String)]) async throws -> Answer {
        try await withCheckedThrowingContinuation { continuation in
            Self.queue.async {
                continuation.resume(with: Result { try self.postBlocking(url: url, body: body, headers: headers) })
            }
        }
    }

    private func postBlocking(url: String, body: [UInt8], headers: [(String, String)]) throws -> Answer {
        func failure(_ text: String) -> NetworkError { NetworkError("Post \"\(url)\": \(text)") }
        guard let target = Target(url: url) else {
            throw failure("unsupported protocol scheme \"\(url.components(separatedBy: "://").first ?? "")\"")
        }
        let connection: TCPConnection
        do {
            connection = try TCPConnection(host: target.host, port: target.port, timeout: timeout)
        } catch let error as NetworkError {
            throw failure(error.description)
        }
        defer { connection.close() }
        var head = "POST \(target.pathAndQuery) HTTP/1.1\r\nHost: \(target.hostHeader)\r\n"
        head += "User-Agent: Go-http-client/1.1\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Accept-Encoding: identity\r\n\r\n"
        do {
            try connection.write(Array(head.utf8) + body)
            let statusLine = String(decoding: try connection.readLine(), as: UTF8.self)
            let parts = statusLine.split(separator: " ", maxSplits: 2)
            guard parts.count >= 2, let status = Int(parts[1]) else {
                throw NetworkError("malformed HTTP response \"\(statusLine)\"")
            }
            var contentLength: Int?
            var chunked = false
            while true {
                let line = String(decoding: try connection.readLine(), as: UTF8.self)
                if line.isEmpty { break }
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = line[..<colon].lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if name == "content-length" { contentLength = Int(value) }
                if name == "transfer-encoding" && value.lowercased().contains("chunked") { chunked = true }
            }
            let payload: [UInt8]
            if chunked {
                payload = try readChunked(connection)
            } else if let contentLength {
                payload = try connection.read(count: contentLength)
            } else {
                payload = try connection.readToEnd()
            }
            return Answer(status: status, body: payload)
        } catch let error as NetworkError {
            throw failure(error.description)
        }
    }

    private func readChunked(_ connection: TCPConnection) throws -> [UInt8] {
        var payload: [UInt8] = []
        while true {
            let sizeLine = String(decoding: try connection.readLine(), as: UTF8.self)
            let sizeText = sizeLine.split(separator: ";").first.map(String.init) ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                throw NetworkError("malformed chunked encoding")
            }
            if size == 0 {
                while !(try connection.readLine()).isEmpty {}
                return payload
            }
            payload += try connection.read(count: size)
            _ = try connection.readLine()
        }
    }

    /// An `http://host[:port]/path?query` URL.
    struct Target {
        var host: String
        var port: Int
        var hostHeader: String
        var pathAndQuery: String

        init?(url: String) {
            guard url.hasPrefix("http://"), let parts = URLParts(url) else { return nil }
            host = parts.host
            port = parts.port ?? 80
            hostHeader = parts.hostAndPort
            pathAndQuery =
                parts.pathAndQuery.isEmpty || parts.pathAndQuery.hasPrefix("?")
                ? "/" + parts.pathAndQuery : parts.pathAndQuery
        }
    }
}
