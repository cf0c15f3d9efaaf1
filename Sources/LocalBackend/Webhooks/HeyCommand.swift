import CurlHTTP
import Foundation

/// A `hey` command line (the loadtester's usual `cmd` task) read into a load spec for our own load generator.
struct HeyCommand: Sendable {
    var url: String
    var requests = 200
    var concurrency = 50
    var ratePerWorker = 0.0
    var duration: Duration?
    var method = "GET"
    var headers: [HTTPHeader] = []
    var host: String?
    var body: [UInt8]?
    var timeout: Duration = .seconds(20)

    /// Parses `hey [flags] URL`; nil when the command is not a `hey` invocation.
    init?(_ command: String) {
        let words = Self.split(command)
        guard let first = words.first, first == "hey" || first.hasSuffix("/hey"), let last = words.last,
            last.contains("://")
        else { return nil }
        url = last
        var index = 1
        while index < words.count - 1 {
            let flag = words[index]
            let value = index + 1 < words.count - 1 ? words[index + 1] : nil
            index += 1
            switch flag {
            case "-n": requests = value.flatMap { Int($0) } ?? requests
            case "-c": concurrency = max(1, value.flatMap { Int($0) } ?? concurrency)
            case "-q": ratePerWorker = value.flatMap { Double($0) } ?? 0
            case "-z": duration = value.flatMap { try? GoDurationText.parse($0) }
            case "-m": method = value ?? method
            case "-H":
                if let value, let colon = value.firstIndex(of: ":") {
                    let name = String(value[..<colon])
                    let headerValue = value[value.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                    if name.lowercased() == "host" {
                        host = headerValue
                    } else {
                        headers.append(HTTPHeader(name, headerValue))
                    }
                }
            case "-host": host = value
            case "-d": body = value.map { Array($0.utf8) }
            case "-T": if let value { headers.append(HTTPHeader("Content-Type", value)) }
            case "-t": timeout = .seconds(value.flatMap { Int($0) } ?? 20)
            case "-disable-keepalive", "-disable-compression", "-disable-redirects", "-h2":
                continue
            default: continue
            }
            index += 1
        }
    }

    /// The equivalent load, with durations scaled by `timeScale`.
    func spec(resolvedURL: String, timeScale: Double) -> LoadSpec {
        let mode: LoadSpec.Mode =
            ratePerWorker > 0
            ? .rate(ratePerWorker * Double(concurrency), maxInFlight: concurrency) : .concurrency(concurrency)
        let limit: LoadSpec.Limit = duration.map { .duration($0 * timeScale) } ?? .requests(requests)
        return LoadSpec(
            url: resolvedURL,
            method: method,
            headers: headers,
            host: host,
            body: body,
            mode: mode,
            limit: limit,
            timeout: timeout
        )
    }

    /// Shell-like word splitting with single and double quotes.
    static func split(_ command: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for character in command {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
                inWord = true
            } else if character.isWhitespace {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }
}

/// Go duration text (`1m`, `30s`) without the object model's decoding wrapper.
enum GoDurationText {
    static func parse(_ text: String) throws -> Duration {
        var total = 0.0
        var number = ""
        var unit = ""
        func flush() throws {
            guard !number.isEmpty else { return }
            guard let value = Double(number) else { throw LocalBackendError(.input, "invalid duration \(text)") }
            let scale: Double =
                switch unit {
                case "ms": 0.001
                case "s", "": 1
                case "m": 60
                case "h": 3600
                default: throw LocalBackendError(.input, "invalid duration \(text)")
                }
            total += value * scale
            number = ""
            unit = ""
        }
        for character in text {
            if character.isNumber || character == "." {
                if !unit.isEmpty { try flush() }
                number.append(character)
            } else {
                unit.append(character)
            }
        }
        try flush()
        return .milliseconds(Int64(total * 1000))
    }
}
