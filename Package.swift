// swift-tools-version: 6.2
import PackageDescription

/// Settings every Swift target shares (STYLE.md: Swift 6 mode, explicit imports).
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "rollout-e2e",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "rollout-e2e", targets: ["rollout-e2e"]),
        .executable(name: "podinfo", targets: ["podinfo"]),
        .executable(name: "rollout-bench", targets: ["rollout-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        // podinfo's JWT (HMAC-SHA256/384/512) and /store's SHA-1.
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        // Declared because PodinfoServer imports them directly; Hummingbird brings them in anyway.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // Layer 1: system libraries (Debian: libcurl4-openssl-dev, libyaml-dev).
        .systemLibrary(name: "CLibcurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CLibYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        // The process guard: stops the harness's children when the harness dies (its C part runs in a forked child).
        .target(name: "CProcessGuard"),
        .target(name: "ProcessGuard", dependencies: ["CProcessGuard"], swiftSettings: strictSettings),

        // Layer 2: YAML over libyaml.
        .target(name: "YAML", dependencies: ["CLibYAML"], swiftSettings: strictSettings),
        // Layer 3: HTTP client and load generator over libcurl.
        .target(
            name: "CurlHTTP",
            dependencies: ["CLibcurl", .product(name: "Histogram", package: "hdrhistogram-swift")],
            swiftSettings: strictSettings
        ),
        // Layer 4: Kubernetes, Flagger and Flux objects.
        .target(name: "ObjectModel", dependencies: ["YAML"], swiftSettings: strictSettings),
        // Layer 5: Flagger's canary analysis as a pure state machine.
        .target(name: "CanaryEngine", dependencies: ["YAML", "ObjectModel"], swiftSettings: strictSettings),
        // Layer 6: scenarios — format, runner, assertions, reports, and the backend protocol both backends implement.
        .target(
            name: "Scenarios",
            dependencies: ["YAML", "ObjectModel", "CurlHTTP"],
            swiftSettings: strictSettings
        ),
        // Layer 7: the harness's own small servers and what both backends share at run time: alert receiver,
        // webhook recorder, port allocation, signal handling.
        .target(
            name: "HarnessServers",
            dependencies: [
                "CurlHTTP", "Scenarios",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // Layer 8: the local backend — the whole stack on real processes, and its scenario sessions.
        .target(
            name: "LocalBackend",
            dependencies: [
                "YAML", "ObjectModel", "CanaryEngine", "CurlHTTP", "ProcessGuard", "Scenarios", "HarnessServers",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // Layer 9: the kind backend — the real stack on a Kind cluster, and its scenario sessions.
        .target(
            name: "KindBackend",
            dependencies: [
                "YAML", "ObjectModel", "CurlHTTP", "ProcessGuard", "Scenarios", "HarnessServers",
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            swiftSettings: strictSettings
        ),
        // Layer 10: the podinfo-compatible server.
        .target(
            name: "PodinfoServer",
            dependencies: [
                // For URLParts, the one URL splitter (Redis and echo backend addresses).
                "CurlHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                // The Redis and echo-backend clients.
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(name: "podinfo", dependencies: ["PodinfoServer"], swiftSettings: strictSettings),
        // Layer 11: the CLI.
        .target(
            name: "RolloutCLI",
            dependencies: [
                "YAML", "ObjectModel", "CanaryEngine", "CurlHTTP", "HarnessServers", "LocalBackend", "KindBackend",
                "Scenarios",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "rollout-e2e",
            dependencies: ["RolloutCLI"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "rollout-bench",
            dependencies: ["CurlHTTP", "CanaryEngine", "ObjectModel", "YAML", "LocalBackend", "HarnessServers"],
            swiftSettings: strictSettings
        ),

        // Shared by test targets: locating built executables, running them, waiting for ports.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strictSettings),

        .testTarget(name: "YAMLTests", dependencies: ["YAML"], swiftSettings: strictSettings),
        .testTarget(name: "CurlHTTPTests", dependencies: ["CurlHTTP", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "ObjectModelTests", dependencies: ["ObjectModel", "YAML"], swiftSettings: strictSettings),
        .testTarget(
            name: "CanaryEngineTests",
            dependencies: ["CanaryEngine", "ObjectModel", "YAML"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PodinfoServerTests",
            dependencies: [
                "PodinfoServer", "CurlHTTP", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HarnessServersTests",
            dependencies: ["HarnessServers", "CurlHTTP", "Scenarios", "TestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LocalBackendTests",
            dependencies: [
                "LocalBackend", "HarnessServers", "Scenarios", "CanaryEngine", "ObjectModel", "YAML", "CurlHTTP",
                "TestSupport", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "KindBackendTests",
            dependencies: [
                "KindBackend", "HarnessServers", "Scenarios", "ObjectModel", "YAML", "CurlHTTP", "TestSupport",
            ],
            exclude: ["Golden"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ScenariosTests",
            dependencies: ["Scenarios", "ObjectModel", "YAML", "TestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RolloutCLITests",
            dependencies: [
                "RolloutCLI", "KindBackend", "Scenarios", "LocalBackend", "ObjectModel", "YAML", "CurlHTTP",
                "TestSupport",
            ],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
