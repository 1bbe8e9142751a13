import Foundation

/// The files of a new project (`apus new`).
struct ProjectTemplate {
    let name: String
    let apusPath: String

    /// The module name of a project name: `todo-api` gives `TodoApi`.
    static func moduleName(for name: String) -> String? {
        guard let first = name.unicodeScalars.first, CharacterSet.letters.contains(first),
            name.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" })
        else { return nil }
        let words = name.split(whereSeparator: { $0 == "-" || $0 == "_" })
        return words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// The Apus checkout this command was built from (Sources/ApusCLI is two folders below it).
    static let defaultApusPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    var module: String { Self.moduleName(for: self.name) ?? self.name }

    var files: [(String, String)] {
        [
            ("Package.swift", self.manifest),
            ("Sources/\(self.module)App/App.swift", self.app),
            ("Sources/\(self.module)/Server.swift", self.server),
            ("Tests/\(self.module)Tests/\(self.module)Tests.swift", self.test),
            (".gitignore", ".build/\n.swiftpm/\n"),
            ("Dockerfile", self.dockerfile),
            ("README.md", self.readme),
        ]
    }

    var manifest: String {
        """
        // swift-tools-version: 6.2
        import PackageDescription

        let package = Package(
            name: "\(self.name)",
            platforms: [.macOS(.v15)],
            dependencies: [
                // Apus by path; once it is published, `.package(url: "<its git URL>", from: "<version>")`.
                .package(name: "apus", path: "\(self.apusPath)"),
            ],
            targets: [
                .target(name: "\(self.module)App", dependencies: [.product(name: "Apus", package: "apus")]),
                .executableTarget(name: "\(self.module)", dependencies: ["\(self.module)App", .product(name: "Apus", package: "apus")]),
                .testTarget(
                    name: "\(self.module)Tests",
                    dependencies: ["\(self.module)App", .product(name: "Apus", package: "apus"), .product(name: "ApusTesting", package: "apus")]
                ),
            ]
        )

        """
    }

    var app: String {
        """
        import Apus

        @Model(description: "An item.")
        struct Item {
            var id: Int
            @Field(.maxLength(50)) var q: String? = nil
        }

        /// The app: its routes in one place, for the server and the tests.
        public func makeApp() -> App {
            let app = App(title: "\(self.name)", version: "0.1.0")
            app.get("/") { ["message": "Hello from \(self.name)"] }
            // async: runs on the event loop (FastAPI's `async def`); a sync closure runs on the thread pool.
            app.get("/items/{item_id}", Path<Int>("item_id"), Query<String?>("q", .maxLength(50))) { itemID, q async in
                Item(id: itemID, q: q)
            }
            return app
        }

        """
    }

    var server: String {
        """
        import Apus
        import \(self.module)App

        @main
        struct Server {
            static func main() async throws {
                // 127.0.0.1:8000 unless --host/--port or HOST/PORT say otherwise.
                try await makeApp().run()
            }
        }

        """
    }

    var test: String {
        """
        import Apus
        import ApusTesting
        import \(self.module)App
        import Testing

        @Suite("\(self.name)")
        struct \(self.module)Tests {
            @Test("GET /items/{item_id} answers the item; a bad id answers 422")
            func readItem() async throws {
                try await TestClient.run(makeApp()) { client in
                    let response = try await client.get("/items/42?q=lamp")
                    #expect(response.status == .ok)
                    #expect(response.text == #"{"id":42,"q":"lamp"}"#)
                    let invalid = try await client.get("/items/x")
                    #expect(invalid.status == .unprocessableEntity)
                }
            }
        }

        """
    }

    var dockerfile: String {
        """
        # Builds in the Swift 6.3 image and runs in a slim one. The build needs Apus reachable
        # from the build context: depend on its git URL (not a local path) before building this.
        FROM swift:6.3 AS build
        RUN apt-get update && apt-get install -y --no-install-recommends zlib1g-dev && rm -rf /var/lib/apt/lists/*
        WORKDIR /build
        COPY . .
        RUN swift build -c release --static-swift-stdlib --product \(self.module)

        FROM ubuntu:24.04
        RUN apt-get update && apt-get install -y --no-install-recommends zlib1g ca-certificates && rm -rf /var/lib/apt/lists/*
        COPY --from=build /build/.build/release/\(self.module) /app/\(self.module)
        EXPOSE 8000
        CMD ["/app/\(self.module)", "--host", "0.0.0.0", "--port", "8000"]

        """
    }

    var readme: String {
        """
        # \(self.name)

        An [Apus](\(self.apusPath)) app.

        ```sh
        swift run \(self.module)    # http://127.0.0.1:8000, its docs on http://127.0.0.1:8000/docs
        swift test
        ```

        `apus dev` (from Apus: `swift run --package-path \(self.apusPath) apus dev`) rebuilds and
        swaps the server on every save; an open `/docs` tab reloads itself.

        """
    }
}
