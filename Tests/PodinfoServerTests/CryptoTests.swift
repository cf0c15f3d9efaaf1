import PodinfoServer
import Testing

/// The primitives are swift-crypto's; what is ours is how podinfo uses them: golang-jwt's HMAC test vectors
/// (golang-jwt/jwt `hmac_test.go`, key `test/hmacTestKey` = RFC 7515 appendix A.1's), validated through podinfo's
/// key function, and the encodings around them.
struct CryptoTests {
    /// RFC 7515 A.1's HMAC key (JWK `k`), the bytes of golang-jwt's `test/hmacTestKey`.
    static func golangJWTKey() throws -> [UInt8] {
        try Base64URL.decode("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow")
            .get()
    }

    /// golang-jwt `hmacTestData`: name, token, valid. The claims' `exp` is 1300819380.
    @Test(arguments: [
        (
            "web sample",
            "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
            true
        ),
        (
            "HS384",
            "eyJhbGciOiJIUzM4NCIsInR5cCI6IkpXVCJ9.eyJleHAiOjEuMzAwODE5MzhlKzA5LCJodHRwOi8vZXhhbXBsZS5jb20vaXNfcm9vdCI6dHJ1ZSwiaXNzIjoiam9lIn0.KWZEuOD5lbBxZ34g7F-SlVLAQ_r5KApWNWlZIIMyQVz5Zs58a7XdNzj5_0EcNoOy",
            true
        ),
        (
            "HS512",
            "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.eyJleHAiOjEuMzAwODE5MzhlKzA5LCJodHRwOi8vZXhhbXBsZS5jb20vaXNfcm9vdCI6dHJ1ZSwiaXNzIjoiam9lIn0.CN7YijRX6Aw1n2jyI2Id1w90ja-DEMYiWixhYCyHnrZ1VfJRaFQz1bEbjjA5Fn4CLYaUG432dEYmSbS4Saokmw",
            true
        ),
        (
            "web sample: invalid",
            "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXo",
            false
        ),
    ])
    func golangJWTVectorsValidateAsInGolangJWT(name: String, token: String, valid: Bool) throws {
        let result = JWT.validate(token, secret: try Self.golangJWTKey(), now: 1_300_819_000)
        switch result {
        case .success(let claims):
            #expect(valid, "\(name) validated")
            #expect(claims.issuer == "joe")
            #expect(claims.expiresAt == 1_300_819_380)
        case .failure(let error):
            #expect(!valid, "\(name): \(error)")
            #expect(error.description == "signature is invalid")
        }
    }

    /// golang-jwt's `TestHMACSign` for HS256: signing the vector's input with the key gives its signature.
    @Test func signedTokensValidateWithTheirKeyOnly() throws {
        let key = try Self.golangJWTKey()
        let token = JWT.sign(name: "joe", issuer: "joe", expiresAt: 1_300_819_380, secret: key)
        #expect((try? JWT.validate(token, secret: key, now: 1_300_819_000).get())?.name == "joe")
        let other = JWT.validate(token, secret: Array("other".utf8), now: 1_300_819_000)
        #expect(throws: JWT.ValidationError.self) { try other.get() }
    }

    /// golang-jwt's `TestHMACSign` for HS256: the vector's signing input signed with the key is its signature.
    @Test func theHS256VectorsSignatureIsReproduced() throws {
        let parts =
            "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
        let signature = JWT.hs256Signature(of: parts, secret: try Self.golangJWTKey())
        #expect(signature == "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
    }

    @Test func hexStringPrintsLikeGosPercentX() {
        #expect(hexString([0x00, 0x0f, 0xa9, 0xff]) == "000fa9ff")
    }

    @Test(arguments: ["", "f", "fo", "foo", "foob", "fooba", "foobar", "\u{FF}\u{FE}?>"])
    func base64URLRoundTrips(text: String) throws {
        let bytes = Array(text.utf8)
        let encoded = Base64URL.encode(bytes)
        #expect(!encoded.contains("="))
        #expect(!encoded.contains("+") && !encoded.contains("/"))
        #expect(try Base64URL.decode(encoded).get() == bytes)
    }

    @Test func base64URLRejectsPaddingAndForeignCharactersLikeGo() {
        #expect(throws: Base64URL.DecodeError.self) { try Base64URL.decode("Zm9v+g").get() }
        #expect(throws: Base64URL.DecodeError.self) { try Base64URL.decode("Zg==").get() }
        #expect(throws: Base64URL.DecodeError.self) { try Base64URL.decode("abcde").get() }
    }
}
