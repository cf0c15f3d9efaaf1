import Testing

@testable import PodinfoServer

struct RoutingTests {
    @Test(arguments: [
        ("//version", "/version"), ("/echo/../version", "/version"), ("/a/./b/", "/a/b/"), ("", "/"),
        ("/", "/"), ("/../..", "/"),
    ])
    func cleansPathsLikeGorilla(path: String, cleaned: String) {
        #expect(PathCleaner.routerClean(path) == cleaned)
    }

    /// The `path` label of every route, as podinfo's `urlToLabel(routeName || pathTemplate)` gives it.
    @Test(arguments: [
        ("GET", "/", "root"), ("GET", "/api/info", "api_info"), ("GET", "/version", "version"),
        ("GET", "/delay/1", "delay"), ("PUT", "/status/201", "status"), ("POST", "/store", "store"),
        ("GET", "/store/abc", "store"), ("GET", "/cache/k", "cache"), ("DELETE", "/cache/k", "cache_key"),
        ("POST", "/cache/k", "cache_key"), ("GET", "/chunked/1", "chunked_wait_0_9"), ("GET", "/chunked", "chunked"),
        ("POST", "/echo/a/b", "echo"), ("POST", "/api/echo/", "api_echo"), ("GET", "/token/validate", "token_validate"),
        ("GET", "/fault_injection/status", "fault_injection_status"), ("GET", "/metrics", "metrics"),
        ("POST", "/readyz/enable", "readyz_enable"),
    ])
    func labelsRoutesLikePodinfo(method: String, path: String, label: String) throws {
        let router = PodinfoRouter(prefix: "/")
        let resolution = router.resolve(method: method, rawPath: Substring(path), rawQuery: nil, userAgent: "curl")
        guard case .matched(let route, _) = resolution else {
            Issue.record("\(method) \(path) did not match a route")
            return
        }
        #expect(route.label == label)
    }

    @Test func prefixedRoutesGainThePrefixInTheirLabelsUnlessNamed() throws {
        let router = PodinfoRouter(prefix: "/foo")
        for (path, label) in [
            ("/foo", "foo"), ("/foo/", "foo"), ("/foo/api/info", "foo_api_info"), ("/foo/delay/1", "delay"),
        ] {
            guard
                case .matched(let route, _) = router.resolve(
                    method: "GET",
                    rawPath: Substring(path),
                    rawQuery: nil,
                    userAgent: nil
                )
            else {
                Issue.record("GET \(path) did not match under prefix /foo")
                continue
            }
            #expect(route.label == label)
        }
        guard case .notFound = router.resolve(method: "GET", rawPath: "/api/info", rawQuery: nil, userAgent: nil) else {
            Issue.record("/api/info should be 404 under prefix /foo")
            return
        }
    }
}
