import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

extension PodinfoResponder {
    /// `/` and `/api/info`: RuntimeResponse, fields in podinfo's struct order; counts are strings.
    func info() -> Reply {
        .json(
            .object([
                ("hostname", .string(config.hostname)),
                ("version", .string(config.version)),
                ("revision", .string(config.revision)),
                ("color", .string(config.uiColor)),
                ("logo", .string(config.uiLogo)),
                ("message", .string(config.uiMessage)),
                ("goos", .string(RuntimeInfo.operatingSystem)),
                ("goarch", .string(RuntimeInfo.architecture)),
                ("runtime", .string(RuntimeInfo.runtime)),
                ("num_goroutine", .string(String(RuntimeInfo.threadCount()))),
                ("num_cpu", .string(String(RuntimeInfo.processorCount))),
            ])
        )
    }

    /// `/env`: the process environment in `os.Environ()` order.
    func env() -> Reply {
        var entries: [GoJSON] = []
        #if canImport(Darwin)
            // Darwin's headers do not declare `environ`; `_NSGetEnviron()` is the same array.
            guard var pointer = _NSGetEnviron().pointee else { return .json(.array(entries)) }
        #else
            var pointer = environ
        #endif
        while let entry = pointer.pointee {
            entries.append(.string(String(cString: entry)))
            pointer += 1
        }
        return .json(.array(entries))
    }

    /// `/headers`: Go's `r.Header` (canonical names, sorted, Host removed) plus the `X-Api-Version` and
    /// `X-Api-Revision` request headers podinfo's version middleware adds.
    func headers(_ input: HandlerInput) -> Reply {
        var map: [String: [String]] = [:]
        for field in input.request.headers {
            let name = Self.canonicalHeaderKey(field.name.rawName)
            if name == "Host" || name == "Transfer-Encoding" { continue }
            map[name, default: []].append(field.value)
        }
        map["X-Api-Version"] = [config.version]
        map["X-Api-Revision"] = [config.revision]
        return .json(.sortedObject(map.mapValues { .array($0.map { .string($0) }) }))
    }

    /// Go's `CanonicalMIMEHeaderKey`: `x-api-version` → `X-Api-Version`; names with invalid bytes stay as they are.
    static func canonicalHeaderKey(_ name: String) -> String {
        let tokenPunctuation = Set("!#$%&'*+-.^_`|~".utf8)
        var bytes = Array(name.utf8)
        for byte in bytes {
            let valid =
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || tokenPunctuation.contains(byte)
            if !valid { return name }
        }
        var upper = true
        for index in bytes.indices {
            let byte = bytes[index]
            if upper && byte >= 0x61 && byte <= 0x7A {
                bytes[index] = byte - 32
            } else if !upper && byte >= 0x41 && byte <= 0x5A {
                bytes[index] = byte + 32
            }
            upper = byte == UInt8(ascii: "-")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `GET /` from a browser: podinfo renders `ui/vue.html`; this server serves a small page that polls `/api/info`.
    func index() -> Reply {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        let base = prefix == "/" ? "" : prefix
        let page = IndexPage.html(title: config.hostname, logo: config.uiLogo, infoURL: base + "/api/info")
        return .bytes(Array(page.utf8), headers: headers, status: 200)
    }

    /// `/swagger.json`: a Swagger 2.0 description of the API (served without a Content-Type, so Go sniffs text).
    func swagger() -> Reply {
        var headers = HTTPFields()
        headers[.contentType] = Reply.textContentType
        return .bytes(Array(SwaggerDocument.json(version: config.version).utf8), headers: headers, status: 200)
    }
}
