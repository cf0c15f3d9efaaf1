import Logging

extension PodinfoResponder {
    private static let offline = Reply.error("cache server is offline", code: 400)

    /// `POST|PUT /cache/{key}`: `SET key body`, 202 with no body.
    func cacheWrite(_ input: HandlerInput) async -> Reply {
        guard let cache else { return Self.offline }
        let body: [UInt8]
        switch await input.body() {
        case .success(let bytes): body = bytes
        case .failure(let error): return error.reply
        }
        let key = input.variables["key"] ?? ""
        do {
            _ = try await cache.command("SET", Array(key.utf8), body)
            return .empty(202)
        } catch {
            logger.warning("cache set failed", metadata: ["error": .string("\(error)")])
            return .error("cache set failed", code: 500)
        }
    }

    /// `DELETE /cache/{key}`: `DEL key`, 202 even when the key was absent; 400 with no body when Redis fails.
    func cacheDelete(_ input: HandlerInput) async -> Reply {
        guard let cache else { return Self.offline }
        let key = input.variables["key"] ?? ""
        do {
            _ = try await cache.command("DEL", Array(key.utf8))
            return .empty(202)
        } catch {
            logger.warning("cache delete failed", metadata: ["error": .string("\(error)")])
            return .empty(400)
        }
    }

    /// `GET /cache/{key}`: the raw value; 404 with no body when the key is missing or `EXISTS` fails.
    func cacheRead(_ input: HandlerInput) async -> Reply {
        guard let cache else { return Self.offline }
        let key = input.variables["key"] ?? ""
        do {
            let exists = try await cache.command("EXISTS", Array(key.utf8))
            guard case .integer(let count) = exists, count > 0 else {
                logger.warning("cache key not found", metadata: ["key": .string(key)])
                return .empty(404)
            }
        } catch {
            logger.warning("cache key not found", metadata: ["key": .string(key)])
            return .empty(404)
        }
        do {
            let value = try await cache.command("GET", Array(key.utf8))
            guard case .bulk(let bytes?) = value else {
                logger.warning("cache get failed", metadata: ["error": "redigo: nil returned"])
                return .empty(500)
            }
            return .raw(bytes, status: 200)
        } catch {
            logger.warning("cache get failed", metadata: ["error": .string("\(error)")])
            return .empty(500)
        }
    }
}
