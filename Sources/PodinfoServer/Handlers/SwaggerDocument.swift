/// The Swagger 2.0 document served at `/swagger.json`, listing the routes this server answers.
enum SwaggerDocument {
    private static let operations: [(path: String, method: String, summary: String)] = [
        ("/", "get", "Runtime information"),
        ("/api/info", "get", "Runtime information"),
        ("/version", "get", "Version"),
        ("/echo", "post", "Echo the request body"),
        ("/api/echo", "post", "Echo the request body"),
        ("/env", "get", "Environment"),
        ("/headers", "get", "Request headers"),
        ("/delay/{seconds}", "get", "Delayed response"),
        ("/status/{code}", "get", "Status code"),
        ("/healthz", "get", "Liveness check"),
        ("/readyz", "get", "Readiness check"),
        ("/readyz/enable", "post", "Enable ready state"),
        ("/readyz/disable", "post", "Disable ready state"),
        ("/fault_injection/enable", "post", "Enable fault injection"),
        ("/fault_injection/disable", "post", "Disable fault injection"),
        ("/fault_injection/status", "get", "Fault injection status"),
        ("/panic", "get", "Exit with code 255"),
        ("/store", "post", "Upload file"),
        ("/store/{hash}", "get", "Download file"),
        ("/cache/{key}", "post", "Save payload in cache"),
        ("/configs", "get", "Mounted config files"),
        ("/token", "post", "Generate JWT token"),
        ("/token/validate", "get", "Validate JWT token"),
        ("/chunked/{seconds}", "get", "Chunked transfer encoding"),
        ("/metrics", "get", "Prometheus metrics"),
    ]

    static func json(version: String) -> String {
        var paths: [String: GoJSON] = [:]
        for operation in operations {
            var methods: [(String, GoJSON)] = []
            if case .object(let existing) = paths[operation.path] { methods = existing }
            methods.append(
                (
                    operation.method,
                    .object([
                        ("summary", .string(operation.summary)),
                        ("responses", .object([("200", .object([("description", .string("OK"))]))])),
                    ])
                )
            )
            paths[operation.path] = .object(methods)
        }
        let document: GoJSON = .object([
            ("schemes", .array([.string("http"), .string("https")])),
            ("swagger", .string("2.0")),
            (
                "info",
                .object([
                    ("description", .string("Go microservice template for Kubernetes.")),
                    ("title", .string("Podinfo API")),
                    (
                        "contact",
                        .object([
                            ("name", .string("Source Code")),
                            ("url", .string("https://github.com/stefanprodan/podinfo")),
                        ])
                    ),
                    (
                        "license",
                        .object([
                            ("name", .string("MIT License")),
                            ("url", .string("https://github.com/stefanprodan/podinfo/blob/master/LICENSE")),
                        ])
                    ),
                    ("version", .string(version)),
                ])
            ),
            ("basePath", .string("/")),
            ("paths", .sortedObject(paths)),
        ])
        return document.pretty
    }
}
