// swift-tools-version: 6.2
import PackageDescription

// The inventory example as its own package, as a user's app would be: it depends on Apus (by
// path: the repository's root) and brings the packages only it needs (GRDB for SQLite,
// jwt-kit, swift-crypto), so that Apus's own manifest carries none of them.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "inventory",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "inventory", targets: ["Inventory"])
    ],
    dependencies: [
        .package(name: "apus", path: "../.."),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto", "4.1.0"..<"5.0.0"),
    ],
    targets: [
        .target(
            name: "InventoryApp",
            dependencies: [
                .product(name: "Apus", package: "apus"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "Inventory",
            dependencies: [.product(name: "Apus", package: "apus"), "InventoryApp"],
            path: "Sources/inventory",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "InventoryTests",
            dependencies: [
                "InventoryApp",
                .product(name: "Apus", package: "apus"),
                .product(name: "ApusTesting", package: "apus"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
