// swift-tools-version: 6.1
// Micro benchmarks, kept out of the main package so that `swift test` never builds them.
// Run: cd Benchmarks && swift package benchmark
import PackageDescription

let package = Package(
    name: "apus-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "apus", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "ApusBenchmarks",
            dependencies: [
                .product(name: "Apus", package: "apus"),
                .product(name: "ApusTesting", package: "apus"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ApusBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
)
