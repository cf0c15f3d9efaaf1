import PodinfoServer
import Testing

struct CryptoTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
    ])
    func sha256MatchesFIPSVectors(message: String, digest: String) {
        #expect(hexString(SHA256.hash(Array(message.utf8))) == digest)
    }

    @Test func sha256OfAMillionAs() {
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(
            hexString(SHA256.hash(message)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        )
    }

    @Test(arguments: [
        ("hello world", "2aae6c35c94fcfb415dbe95f408b9ce91ee846ed"),
        ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
    ])
    func sha1MatchesKnownDigests(message: String, digest: String) {
        #expect(hexString(SHA1.hash(Array(message.utf8))) == digest)
    }

    /// RFC 4231 test cases 1, 2, 4 and 6 (short key, text key, 25-byte key, key longer than a block).
    @Test(arguments: [
        (
            [UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        ),
        (
            Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        ),
        (
            (1...25).map { UInt8($0) }, [UInt8](repeating: 0xcd, count: 50),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
        ),
        (
            [UInt8](repeating: 0xaa, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        ),
    ])
    func hmacSHA256MatchesRFC4231(key: [UInt8], data: [UInt8], mac: String) {
        #expect(hexString(HMACSHA256.authenticationCode(for: data, key: key)) == mac)
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
