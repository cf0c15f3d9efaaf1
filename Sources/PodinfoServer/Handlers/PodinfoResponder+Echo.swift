import HTTPTypes
import Hummingbird
import Logging

extension PodinfoResponder {
    /// Tracing headers podinfo copies to backend calls.
    private static let forwardedHeaders = [
        "x-request-id", "x-b3-traceid", "x-b3-spanid", "x-b3-parentspanid", "x-b3-sampled", "x-b3-flags",
        "x-ot-span-context",
    ]

    /// `/echo`, `/api/echo` and below: without backends the body comes back verbatim with 202; with backends each one
    /// gets a parallel POST and the answer is a 200 JSON array, one string per backend in order.
    func echo(_ input: HandlerInput) async -> Reply {
        let body: [UInt8]
        switch await input.body() {
        case .success(let bytes): body = bytes
        case .failure(let error): return error.reply
        }
        var color = HTTPFields()
        color[.xColor] = config.uiColor
        guard !config.backendURLs.isEmpty else {
            return .raw(body, status: 202, extraHeaders: color)
        }
        var headers: [(String, String)] = []
        for name in Self.forwardedHeaders {
            if let fieldName = HTTPField.Name(name), let value = input.request.headers[fieldName] {
                headers.append((PodinfoResponder.canonicalHeaderKey(name), value))
            }
        }
        headers.append(("X-Api-Version", config.version))
        headers.append(("X-Api-Revision", config.revision))
        let urls = config.backendURLs
        let results = await withTaskGroup(of: (Int, String).self) { group in
            for (index, url) in urls.enumerated() {
                group.addTask { [headers] in
                    do {
                        let answer = try await backends.post(url: url, body: body, headers: headers)
                        if answer.status >= 400 {
                            logger.error(
                                "backend call failed",
                                metadata: ["status": .stringConvertible(answer.status), "url": .string(url)]
                            )
                            return (index, "backend \(url) response status code \(answer.status)")
                        }
                        let text = String(decoding: answer.body, as: UTF8.self)
                        logger.debug(
                            "payload received from backend",
                            metadata: ["response": .string(text), "url": .string(url)]
                        )
                        return (index, text)
                    } catch {
                        logger.error(
                            "backend call failed",
                            metadata: ["error": .string("\(error)"), "url": .string(url)]
                        )
                        return (index, "backend \(url) call failed \(error)")
                    }
                }
            }
            var ordered = [String](repeating: "", count: urls.count)
            for await (index, text) in group { ordered[index] = text }
            return ordered
        }
        var reply = Reply.json(.array(results.map { .string($0) }))
        reply.response.headers.append(contentsOf: color)
        return reply
    }
}
