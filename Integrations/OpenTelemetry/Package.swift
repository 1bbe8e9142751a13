// swift-tools-version: 6.2
import PackageDescription

// Apus's OpenTelemetry export (OTLP/HTTP through swift-otel) as a package of its own: swift-otel's
// OTLP/HTTP exporter brings 15 packages (AsyncHTTPClient, swift-nio-ssl, swift-protobuf...)
// that an app which does not export to a collector should not resolve. It depends on Apus by
// path, as the inventory example does.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "apus-opentelemetry",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ApusOpenTelemetry", targets: ["ApusOpenTelemetry"])
    ],
    dependencies: [
        .package(name: "apus", path: "../.."),
        .package(url: "https://github.com/swift-otel/swift-otel", from: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .target(
            name: "ApusOpenTelemetry",
            dependencies: [
                .product(name: "Apus", package: "apus"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ApusOpenTelemetryTests",
            dependencies: [
                "ApusOpenTelemetry",
                .product(name: "ApusTesting", package: "apus"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
