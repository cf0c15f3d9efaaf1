import PodinfoServer
import Testing

/// `--cache-server` as each podinfo version reads it (spec/podinfo.md §2, §12): `host:port` before 6.1.1, a
/// `tcp://` URL since; each fails every dial on the other's syntax, with Go's words.
struct CacheServerSyntaxTests {
    @Test(arguments: [
        ("6.0.0", CacheServerSyntax.hostPort), ("6.0.4", .hostPort), ("v6.0.1", .hostPort), ("6.1.0", .hostPort),
        ("6.1.1", .url), ("6.1.10", .url), ("6.14.1", .url), ("7.0.0", .url), ("5.2.1", .hostPort),
        ("latest", .url), ("6.0", .url), ("", .url),
    ])
    func theVersionDecidesTheSyntax(version: String, syntax: CacheServerSyntax) {
        #expect(CacheServerSyntax(version: version) == syntax)
    }

    @Test(arguments: [
        ("cache.apps:6379", CacheServerSyntax.hostPort, "cache.apps:6379"),
        ("127.0.0.1:6000", .hostPort, "127.0.0.1:6000"),
        ("[::1]:6000", .hostPort, "::1:6000"),
        (":6379", .hostPort, "127.0.0.1:6379"),
        ("tcp://cache.apps:6379", .url, "cache.apps:6379"),
        ("tcp://user:secret@cache.apps:6379", .url, "cache.apps:6379"),
    ])
    func aValueInItsVersionsSyntaxNamesTheServer(server: String, syntax: CacheServerSyntax, expected: String) throws {
        let address = try RedisClient.Address.parse(server, syntax: syntax).get()
        #expect("\(address.host):\(address.port)" == expected)
    }

    @Test(arguments: [
        (
            "tcp://cache.apps:6379", CacheServerSyntax.hostPort,
            "dial tcp: address tcp://cache.apps:6379: too many colons in address"
        ),
        ("cache.apps", .hostPort, "dial tcp: address cache.apps: missing port in address"),
        ("cache.apps:redis", .hostPort, "dial tcp: lookup tcp/redis: unknown port"),
        ("cache.apps:6379", .url, "dial tcp: missing address"),
    ])
    func aValueInTheOtherSyntaxFailsEveryDial(server: String, syntax: CacheServerSyntax, error: String) {
        guard case .failure(let failure) = RedisClient.Address.parse(server, syntax: syntax) else {
            Issue.record("\(server) parsed as \(syntax)")
            return
        }
        #expect(failure.description == error)
    }
}
