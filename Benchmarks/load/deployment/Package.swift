// swift-tools-version: 6.2
import PackageDescription

// The HTTP/2 figures of docs/deployment.md: Hummingbird 2 with HummingbirdHTTP2's h2c
// (`.plaintextHTTP2()`), the harness's Hummingbird contestant otherwise, against Apus's
// `apus-bench-server` with `--http2-cleartext` (built by the root package), both driven by
// h2load (run.sh). A package of its own: Apus's manifest carries no Hummingbird.
let package = Package(
    name: "deployment-bench",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hb-http2-bench", targets: ["HummingbirdHTTP2Bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        .executableTarget(
            name: "HummingbirdHTTP2Bench",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
            ]
        ),
    ]
)
