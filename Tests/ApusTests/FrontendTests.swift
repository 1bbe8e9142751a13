import Apus
import ApusTesting
import Foundation
import NIOHTTP1
import Testing

// The Apus twin of the FastAPI apps in Tests/Conformance/fastapi_frontend.py. The golden file
// Golden/frontend.json holds what FastAPI 0.165's `app.frontend()` answered to each request;
// this test writes the same build folders, sends the same requests and compares status,
// content type, Location, Allow and body bytes.

@Suite("Single-page apps and built frontends (golden file recorded from FastAPI 0.165)", .timeLimit(.minutes(1)))
struct FrontendTests {
    struct Golden: Decodable {
        var fastapi: String
        var cases: [Case]
    }

    struct Case: Decodable {
        var app: String
        var recorded: GoldenCase

        init(from decoder: any Decoder) throws {
            self.recorded = try GoldenCase(from: decoder)
            self.app = try decoder.container(keyedBy: Keys.self).decode(String.self, forKey: .app)
        }

        enum Keys: String, CodingKey { case app }
    }

    /// The build of `fastapi_frontend.py`: an index, a hashed asset, a folder with its own index.
    static let build = [
        "index.html": "<!doctype html><title>app</title>",
        "assets/app-3f2a9c1b.js": "console.log(1)",
        "about/index.html": "<p>about</p>",
    ]

    /// Two builds under a fresh temporary folder: `spa` (the build) and `site` (with a `404.html`).
    static func makeBuilds() throws -> (root: URL, spa: URL, site: URL) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("apus-frontend-\(UUID().uuidString)")
        let spa = root.appendingPathComponent("spa")
        let site = root.appendingPathComponent("site")
        for (folder, files) in [(spa, Self.build), (site, Self.build.merging(["404.html": "<h1>Nothing here</h1>"]) { a, _ in a })] {
            for (name, text) in files {
                let file = folder.appendingPathComponent(name)
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: file)
            }
        }
        return (root, spa, site)
    }

    /// The twin of `make_app`: three API routes and the frontend of `kind`.
    static func app(_ kind: String, spa: URL, site: URL) -> App {
        let app = makeApp()
        app.get("/items") { ["hammer", "saw"] }
        app.post("/submit") { ["ok": true] }
        app.get("/users/") { [String]() }
        switch kind {
        case "spa": app.frontend("/", directory: spa.path)
        case "site": app.frontend("/", directory: site.path)
        case "prefixed": app.frontend("/app", directory: spa.path)
        default: app.frontend("/", directory: spa.path, fallback: .none)
        }
        return app
    }

    @Test("every recorded request gets FastAPI's status, content type, Location, Allow and body bytes")
    func matchesFastAPI() async throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/frontend.json")
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
        #expect(golden.cases.count == 38)
        let (root, spa, site) = try Self.makeBuilds()
        defer { try? FileManager.default.removeItem(at: root) }
        for kind in ["spa", "site", "prefixed", "none"] {
            try await TestClient.run(Self.app(kind, spa: spa, site: site)) { client async throws in
                for test in golden.cases where test.app == kind {
                    let recorded = test.recorded
                    let response = try await recorded.replay(on: client)
                    #expect(response.header("location") == recorded.location, "\(kind) \(recorded.name)")
                    // Deliberate difference: Apus answers HEAD for GET routes, so Allow names it too.
                    let expectedAllow = recorded.allow.map { $0 == "GET" ? "GET, HEAD" : $0 }
                    #expect(response.header("allow") == expectedAllow, "\(kind) \(recorded.name)")
                }
            }
        }
    }

    @Test("hashed assets are cached for a year, pages are revalidated; a 304 keeps the header")
    func cacheHeaders() async throws {
        let (root, spa, site) = try Self.makeBuilds()
        defer { try? FileManager.default.removeItem(at: root) }
        try await TestClient.run(Self.app("spa", spa: spa, site: site), mode: .live) { client async throws in
            let asset = try await client.get("/assets/app-3f2a9c1b.js")
            #expect(asset.status == .ok)
            #expect(asset.header("cache-control") == "public, max-age=31536000, immutable")
            #expect(asset.header("content-type") == "text/javascript; charset=utf-8")
            #expect(asset.header("content-length") == "14")
            #expect(asset.text == "console.log(1)")
            let page = try await client.get("/dashboard/settings", headers: ["accept": "text/html"])
            #expect(page.status == .ok)
            #expect(page.header("cache-control") == "no-cache")
            #expect(page.text == "<!doctype html><title>app</title>")
            let etag = try #require(page.header("etag"))
            let revalidated = try await client.get("/dashboard/settings", headers: ["accept": "text/html", "if-none-match": etag])
            #expect(revalidated.status == .notModified)
            #expect(revalidated.header("cache-control") == "no-cache")
            #expect(revalidated.body.readableBytes == 0)
            let index = try await client.get("/")
            #expect(index.header("cache-control") == "no-cache")
        }
    }

    @Test("a miss under /api is the JSON 404 even for a page request (FastAPI would serve index.html)")
    func apiPrefixes() async throws {
        let (root, spa, _) = try Self.makeBuilds()
        defer { try? FileManager.default.removeItem(at: root) }
        let app = makeApp()
        app.get("/api/items") { ["hammer"] }
        app.frontend("/", directory: spa.path, apiPrefixes: ["/api", "/internal/"])
        try await TestClient.run(app) { client async throws in
            let page: HTTPHeaders = ["accept": "text/html"]
            #expect(try await client.get("/api/items", headers: page).text == #"["hammer"]"#)
            for path in ["/api", "/api/nothing", "/api/items/7", "/internal/metrics"] {
                let miss = try await client.get(path, headers: page)
                #expect(miss.status == .notFound, "\(path)")
                #expect(miss.header("content-type") == "application/json", "\(path)")
                #expect(miss.text == #"{"detail":"Not Found"}"#, "\(path)")
            }
            // Only the prefix's own segment: /apiary is a client-side route.
            #expect(try await client.get("/apiary", headers: page).text == "<!doctype html><title>app</title>")
        }
    }

    @Test("nothing outside the build can be reached: dot segments, encoded ones, links out")
    func staysInsideTheBuild() async throws {
        let (root, spa, _) = try Self.makeBuilds()
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("top secret".utf8).write(to: root.appendingPathComponent("secret.txt"))
        try FileManager.default.createSymbolicLink(
            atPath: spa.appendingPathComponent("link-out.txt").path, withDestinationPath: root.appendingPathComponent("secret.txt").path)
        let app = makeApp()
        app.frontend("/", directory: spa.path)
        try await TestClient.run(app, mode: .live) { client async throws in
            for path in ["/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt", "/link-out.txt", "//etc/passwd"] {
                let api = try await client.get(path)
                #expect(api.status == .notFound, "\(path)")
                #expect(!api.text.contains("secret"), "\(path)")
                // A page request gets the app's index, never the file.
                let page = try await client.get(path, headers: ["accept": "text/html"])
                #expect(page.status == .notFound || page.text == "<!doctype html><title>app</title>", "\(path)")
                #expect(!page.text.contains("secret"), "\(path)")
            }
        }
    }

    @Test("a missing build folder or fallback file stops the app at start, naming it")
    func checksTheBuild() async throws {
        let missing = makeApp()
        missing.frontend("/", directory: "/nonexistent/dist")
        #expect(throws: RouteConfigurationError.self) { try missing.openAPIDocument() }
        let (root, spa, _) = try Self.makeBuilds()
        defer { try? FileManager.default.removeItem(at: root) }
        let noPage = makeApp()
        noPage.frontend("/", directory: spa.path, fallback: .notFoundPage)
        do {
            _ = try noPage.openAPIDocument()
            Issue.record("a missing 404.html was accepted")
        } catch {
            #expect("\(error)".contains("the fallback file '404.html' does not exist"))
        }
        let unchecked = makeApp()
        unchecked.frontend("/", directory: "/nonexistent/dist", checkDirectory: false)
        try await TestClient.run(unchecked) { client async throws in
            let response = try await client.get("/anything", headers: ["accept": "text/html"])
            #expect(response.status == .notFound)
            #expect(response.text == #"{"detail":"Not Found"}"#)
        }
    }

    @Test("the frontend's routes are not in the OpenAPI document; app middleware runs for them")
    func documentAndMiddleware() async throws {
        let (root, spa, _) = try Self.makeBuilds()
        defer { try? FileManager.default.removeItem(at: root) }
        let app = makeApp()
        app.get("/items") { ["hammer"] }
        app.frontend("/", directory: spa.path)
        app.addMiddleware(CORSMiddleware(allowOrigins: ["https://example.com"]))
        let document = try app.openAPIDocument()
        guard case .object(let paths)? = document["paths"] else {
            Issue.record("no paths in \(document)")
            return
        }
        #expect(paths.map(\.0) == ["/items"])
        try await TestClient.run(app) { client async throws in
            let page = try await client.get("/dashboard", headers: ["accept": "text/html", "origin": "https://example.com"])
            #expect(page.status == .ok)
            #expect(page.header("access-control-allow-origin") == "https://example.com")
        }
    }
}
