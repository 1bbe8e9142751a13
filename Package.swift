// swift-tools-version: 6.2
import CompilerPluginSupport
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

// Scripts/fuzz.sh builds with -sanitize=fuzzer, which SwiftPM applies to the @Model macro's
// compiler plugin too (an executable with a main of its own, which libFuzzer's main collides
// with). The fuzz build therefore leaves the macro out: Apus itself expands no macro, and the
// fuzz targets use none.
let fuzzBuild = Context.environment["APUS_FUZZ_BUILD"] != nil
let macroTargets: [Target] = fuzzBuild ? [] : [
    .macro(
        name: "ApusMacros",
        dependencies: [
            .product(name: "SwiftSyntax", package: "swift-syntax"),
            .product(name: "SwiftSyntaxMacros", package: "swift-syntax"),
            .product(name: "SwiftSyntaxBuilder", package: "swift-syntax"),
            .product(name: "SwiftDiagnostics", package: "swift-syntax"),
            .product(name: "SwiftCompilerPlugin", package: "swift-syntax"),
        ],
        swiftSettings: swiftSettings
    ),
    .testTarget(
        name: "ApusMacrosTests",
        dependencies: [
            "ApusMacros",
            .product(name: "SwiftSyntaxMacrosGenericTestSupport", package: "swift-syntax"),
            .product(name: "SwiftSyntaxMacroExpansion", package: "swift-syntax"),
            .product(name: "SwiftSyntaxBuilder", package: "swift-syntax"),
        ],
        swiftSettings: swiftSettings
    ),
]

// Only what the library needs: the examples that need other packages (Examples/Inventory:
// GRDB, jwt-kit, swift-crypto) are packages of their own that depend on this one by path.
let package = Package(
    name: "apus",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Apus", targets: ["Apus"]),
        .library(name: "ApusTesting", targets: ["ApusTesting"]),
        .library(name: "ApusPrometheus", targets: ["ApusPrometheus"]),
        .executable(name: "quickstart", targets: ["QuickStart"]),
        .executable(name: "apus-bench-server", targets: ["BenchServer"]),
        .executable(name: "chat", targets: ["Chat"]),
        .executable(name: "readme-quickstart", targets: ["ReadmeQuickStart"]),
        // `apus new`, `apus dev`, `apus run`.
        .executable(name: "apus", targets: ["ApusCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-atomics", from: "1.3.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(
            url: "https://github.com/apple/swift-configuration",
            from: "1.4.0",
            traits: [.defaults, "CommandLineArguments"]
        ),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        // TLS (ServerConfiguration.tls) and HTTP/2.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-http2", from: "1.46.0"),
        // Telemetry: the ecosystem's metrics and tracing APIs (the backends are the app's choice).
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        // `app.metrics(at:)` (the ApusPrometheus product).
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // The @Model macro (603 matches Swift 6.3).
        .package(url: "https://github.com/swiftlang/swift-syntax", from: "603.0.1"),
        // The `apus` command.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
    ],
    targets: [
        .target(
            name: "Apus",
            dependencies: (fuzzBuild ? [] : ["ApusMacros"]) + [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ApusPrometheus",
            dependencies: [
                "Apus",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ApusTesting",
            dependencies: [
                "Apus",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "QuickStartApp",
            dependencies: ["Apus", "ApusPrometheus"],
            path: "Examples/QuickStart/Sources/QuickStartApp",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "QuickStart",
            dependencies: ["Apus", "QuickStartApp"],
            path: "Examples/QuickStart/Sources/quickstart",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ChatApp",
            dependencies: ["Apus"],
            path: "Examples/Chat/Sources/ChatApp",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "Chat",
            dependencies: ["Apus", "ChatApp"],
            path: "Examples/Chat/Sources/chat",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ApusCLI",
            dependencies: [
                "Apus",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ReadmeQuickStart",
            dependencies: ["Apus"],
            path: "Examples/Readme",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "BenchServer",
            dependencies: ["Apus"],
            path: "Examples/BenchServer",
            swiftSettings: swiftSettings
        ),
        // Fuzz targets (Scripts/fuzz.sh builds them with libFuzzer; a plain build replays files).
        .target(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"),
        .target(
            name: "FuzzSupport",
            dependencies: [
                "Apus", "CLibFuzzer",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Fuzz/FuzzSupport",
            swiftSettings: swiftSettings
        ),
    ] + macroTargets + ["FuzzHTTPHead", "FuzzJSONBody", "FuzzMultipart", "FuzzForm", "FuzzWebSocket"].map { name in
        .executableTarget(name: name, dependencies: ["FuzzSupport"], path: "Fuzz/\(name)", swiftSettings: swiftSettings)
    } + [
        .testTarget(
            name: "ApusTests",
            dependencies: [
                "Apus", "ApusTesting", "ApusPrometheus", "QuickStartApp", "ChatApp",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            exclude: ["Golden", "Snapshots"],
            swiftSettings: swiftSettings
        ),
        // Every Swift snippet of the README, the DocC articles, docs/ and the doc comments, built
        // as an app would build them: no package access and no upcoming features, as `apus new`
        // writes an app (Scripts/extract-snippets.py writes them; SnippetContext.swift stands for
        // the user's code they call). Built by `swift build`, never run.
        .target(
            name: "ApusSnippets",
            dependencies: [
                "Apus", "ApusTesting", "ApusPrometheus",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/Snippets",
            packageAccess: false,
            swiftSettings: []
        ),
        // Uses Apus as another package would: without package access, `package` symbols are
        // hidden, so these tests can only reach the public API (the extension points it promises).
        .testTarget(
            name: "ApusPublicAPITests",
            dependencies: ["Apus", "ApusTesting"],
            packageAccess: false,
            swiftSettings: swiftSettings
        ),
    ]
)
