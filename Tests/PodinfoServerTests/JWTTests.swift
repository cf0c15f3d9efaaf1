import PodinfoServer
import Testing

struct JWTTests {
    let secret = Array("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9".utf8)

    /// The same token Go's golang-jwt (or Python's hmac) produces for these claims and podinfo's default secret.
    @Test func signsExactlyLikeGolangJWT() {
        let token = JWT.sign(name: "test", issuer: "podinfo", expiresAt: 2_000_000_000, secret: secret)
        #expect(
            token
                == "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJuYW1lIjoidGVzdCIsImlzcyI6InBvZGluZm8iLCJleHAiOjIwMDAwMDAwMDB9"
                + ".l73srHgvUxJzgI8RDCX9yZrsloUauBIDJ7FD59PkDHE"
        )
    }

    @Test func validatesItsOwnTokens() throws {
        let token = JWT.sign(name: "alice <ops>", issuer: "podinfo", expiresAt: 2_000_000_000, secret: secret)
        let claims = try JWT.validate(token, secret: secret, now: 1_900_000_000).get()
        #expect(claims == JWT.Claims(name: "alice <ops>", issuer: "podinfo", expiresAt: 2_000_000_000))
    }

    @Test func reportsGolangJWTMessages() {
        let token = JWT.sign(name: "bob", issuer: "podinfo", expiresAt: 1_000, secret: secret)
        func message(_ token: String, secret: [UInt8]? = nil, now: Double = 500) -> String? {
            if case .failure(let error) = JWT.validate(token, secret: secret ?? self.secret, now: now) {
                return error.description
            }
            return nil
        }
        #expect(message(token, now: 1_062.5) == "token is expired by 1m2.5s")
        #expect(message(token, secret: Array("different-secret".utf8)) == "signature is invalid")
        // A bad signature wins over an expired token, as in golang-jwt v4.
        #expect(message(token, secret: Array("different-secret".utf8), now: 5_000) == "signature is invalid")
        #expect(message("a.b") == "token contains an invalid number of segments")
        let none =
            Base64URL.encode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "."
            + Base64URL.encode(Array(#"{"name":"x"}"#.utf8)) + "."
        #expect(message(none) == "invalid signing method")
    }
}
