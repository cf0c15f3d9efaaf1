import Foundation
import HTTPTypes
import Hummingbird

extension PodinfoResponder {
    /// `POST /token`: the raw body is the user name (`anonymous` when empty); HS256 JWT valid for one minute.
    func tokenGenerate(_ input: HandlerInput) async -> Reply {
        let body: [UInt8]
        switch await input.body() {
        case .success(let bytes): body = bytes
        case .failure(let error): return error.reply
        }
        let user = body.isEmpty ? "anonymous" : String(decoding: body, as: UTF8.self)
        let expiresAt = Int(Date().timeIntervalSince1970) + 60
        let token = JWT.sign(name: user, issuer: "podinfo", expiresAt: expiresAt, secret: Array(config.jwtSecret.utf8))
        return .json(.object([("token", .string(token)), ("expires_at", .string(JWT.rfc3339(expiresAt)))]))
    }

    /// `GET /token/validate`: `Authorization: Bearer <jwt>`; every failure is HTTP 200 with `"code": 401`.
    func tokenValidate(_ input: HandlerInput) -> Reply {
        let header = input.request.headers[.authorization] ?? ""
        let parts = header.split(separator: " ", omittingEmptySubsequences: false)
        guard !header.isEmpty, parts.count == 2, parts[0].lowercased() == "bearer" else {
            return .error("authorization bearer header required", code: 401)
        }
        switch JWT.validate(String(parts[1]), secret: Array(config.jwtSecret.utf8), now: Date().timeIntervalSince1970) {
        case .failure(let error):
            return .error(error.description, code: 401)
        case .success(let claims):
            guard claims.issuer == "podinfo" else { return .error("invalid issuer", code: 401) }
            return .json(
                .object([
                    ("token_name", .string(claims.name)),
                    ("expires_at", .string(JWT.rfc3339(claims.expiresAt ?? 0))),
                ])
            )
        }
    }
}
