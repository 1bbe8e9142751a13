// swift-tools-version: 6.2
import PackageDescription

// The load harness's telemetry variants (docs/benchmarks.md, "What telemetry costs"): Apus with
// its metrics (Prometheus) and its spans (swift-otel, OTLP/HTTP to Benchmarks/load/otlp_sink.py),
// and Hummingbird with its own MetricsMiddleware and TracingMiddleware on the same backends.
// A package of its own: Apus's manifest carries neither Hummingbird nor swift-otel.
let package = Package(
    name: "telemetry-bench",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "apus-telemetry-bench", targets: ["ApusTelemetryBench"]),
        .executable(name: "hb-telemetry-bench", targets: ["HummingbirdTelemetryBench"]),
    ],
    dependencies: [
        .package(name: "apus", path: "../../.."),
        .package(name: "apus-opentelemetry", path: "../../../Integrations/OpenTelemetry"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-otel/swift-otel", from: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "ApusTelemetryBench",
            dependencies: [
                .product(name: "Apus", package: "apus"),
                .product(name: "ApusPrometheus", package: "apus"),
                .product(name: "ApusOpenTelemetry", package: "apus-opentelemetry"),
                .product(name: "OTel", package: "swift-otel"),
            ]
        ),
        .executableTarget(
            name: "HummingbirdTelemetryBench",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ]
)
