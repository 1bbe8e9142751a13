import Apus
import ApusTesting
import Foundation
import Testing

@Suite("Files and static content", .timeLimit(.minutes(1)))
struct StaticFilesTests {
    /// `root/public` with an index, a style sheet, a binary file and two symbolic links (one
    /// inside, one to a secret outside), and `root/secret.txt` next to it.
    static func makeSite() throws -> (root: URL, public: URL, binary: Data) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("apus-static-\(UUID().uuidString)")
        let site = root.appendingPathComponent("public")
        try FileManager.default.createDirectory(at: site.appendingPathComponent("css"), withIntermediateDirectories: true)
        try Data("<h1>Home</h1>".utf8).write(to: site.appendingPathComponent("index.html"))
        try Data("body { color: teal; }".utf8).write(to: site.appendingPathComponent("css/site.css"))
        let binary = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try binary.write(to: site.appendingPathComponent("data.bin"))
        try Data("top secret".utf8).write(to: root.appendingPathComponent("secret.txt"))
        try FileManager.default.createSymbolicLink(
            atPath: site.appendingPathComponent("link-out").path, withDestinationPath: root.appendingPathComponent("secret.txt").path)
        try FileManager.default.createSymbolicLink(atPath: site.appendingPathComponent("link-in.css").path, withDestinationPath: "css/site.css")
        return (root, site, binary)
    }

    static func app(site: URL) -> App {
        let app = makeApp()
        app.mount("/static", StaticFiles(directory: site.path, html: true))
        app.get("/download") { FileResponse(path: site.appendingPathComponent("css/site.css").path, filename: "style.css") }
        app.get("/missing") { FileResponse(path: site.appendingPathComponent("nothing.txt").path) }
        return app
    }

    @Test("a file is served with its type, length, ETag and Last-Modified; HEAD has no body")
    func servesFiles() async throws {
        let (root, site, _) = try Self.makeSite()
        defer { try? FileManager.default.removeItem(at: root) }
        try await TestClient.run(Self.app(site: site)) { client async throws in
            let css = try await client.get("/static/css/site.css")
            #expect(css.status == .ok)
            #expect(css.header("content-type") == "text/css; charset=utf-8")
            #expect(css.header("content-length") == "21")
            #expect(css.header("accept-ranges") == "bytes")
            #expect(css.header("etag")?.hasPrefix("\"") == true)
            #expect(css.header("last-modified")?.hasSuffix(" GMT") == true)
            #expect(css.text == "body { color: teal; }")
            let head = try await client.head("/static/css/site.css")
            #expect(head.status == .ok)
            #expect(head.header("content-length") == "21")
            #expect(head.body.readableBytes == 0)
            let index = try await client.get("/static/")
            #expect(index.header("content-type") == "text/html; charset=utf-8")
            #expect(index.text == "<h1>Home</h1>")
            #expect(try await client.get("/static/css/").status == .notFound)
            let missing = try await client.get("/static/nope.txt")
            #expect(missing.status == .notFound)
            #expect(missing.text == #"{"detail":"Not Found"}"#)
            let download = try await client.get("/download")
            #expect(download.header("content-disposition") == #"attachment; filename="style.css""#)
            #expect(try await client.get("/missing").status == .notFound)
            #expect(try await client.get("/static/link-in.css").text == "body { color: teal; }")
        }
    }

    @Test("conditional requests answer 304; ranges answer 206, or 416 when unsatisfiable")
    func conditionalAndRanges() async throws {
        let (root, site, binary) = try Self.makeSite()
        defer { try? FileManager.default.removeItem(at: root) }
        try await TestClient.run(Self.app(site: site)) { client async throws in
            let first = try await client.get("/static/data.bin")
            let etag = try #require(first.header("etag"))
            let modified = try #require(first.header("last-modified"))
            let cached = try await client.get("/static/data.bin", headers: ["if-none-match": etag])
            #expect(cached.status == .notModified)
            #expect(cached.header("etag") == etag)
            #expect(cached.body.readableBytes == 0)
            #expect(try await client.get("/static/data.bin", headers: ["if-modified-since": modified]).status == .notModified)
            #expect(try await client.get("/static/data.bin", headers: ["if-none-match": "\"other\""]).status == .ok)

            let middle = try await client.get("/static/data.bin", headers: ["range": "bytes=10-19"])
            #expect(middle.status == .partialContent)
            #expect(middle.header("content-range") == "bytes 10-19/300000")
            #expect(middle.header("content-length") == "10")
            #expect(Data(middle.body.readableBytesView) == binary[10..<20])
            let suffix = try await client.get("/static/data.bin", headers: ["range": "bytes=-5"])
            #expect(suffix.header("content-range") == "bytes 299995-299999/300000")
            #expect(Data(suffix.body.readableBytesView) == binary.suffix(5))
            let open = try await client.get("/static/data.bin", headers: ["range": "bytes=299990-"])
            #expect(open.body.readableBytes == 10)
            let beyond = try await client.get("/static/data.bin", headers: ["range": "bytes=300000-"])
            #expect(beyond.status == .rangeNotSatisfiable)
            #expect(beyond.header("content-range") == "bytes */300000")
            #expect(beyond.text == #"{"detail":"Range Not Satisfiable"}"#)
            let several = try await client.get("/static/data.bin", headers: ["range": "bytes=0-1,5-6"])
            #expect(several.status == .ok)
            #expect(several.body.readableBytes == 300_000)
        }
    }

    @Test("no escape from the directory: .., %2e%2e, encoded slashes, absolute paths, symlinks out: all 404")
    func pathTraversal() async throws {
        let (root, site, _) = try Self.makeSite()
        defer { try? FileManager.default.removeItem(at: root) }
        try await TestClient.run(Self.app(site: site)) { client async throws in
            for path in [
                "/static/../secret.txt", "/static/%2e%2e/secret.txt", "/static/%2E%2E/secret.txt", "/static/css/../../secret.txt",
                "/static/css%2F..%2F..%2Fsecret.txt", "/static/..%2Fsecret.txt", "/static//etc/passwd",
                "/static/%2Fetc%2Fpasswd", "/static/link-out", "/static/./index.html", "/static/css/..%5C..%5Csecret.txt",
            ] {
                let response = try await client.get(path)
                #expect(response.status == .notFound, "\(path)")
                #expect(!response.text.contains("top secret"), "\(path)")
            }
        }
    }

    @Test("a large file is streamed over a socket, whole and exact")
    func largeFileLive() async throws {
        let (root, site, _) = try Self.makeSite()
        defer { try? FileManager.default.removeItem(at: root) }
        let large = Data((0..<(5 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) })
        try large.write(to: site.appendingPathComponent("large.bin"))
        try await TestClient.run(Self.app(site: site), mode: .live) { client async throws in
            let response = try await client.get("/static/large.bin")
            #expect(response.status == .ok)
            #expect(response.header("content-length") == String(5 << 20))
            #expect(Data(response.body.readableBytesView) == large)
        }
    }
}
