import Apus
import ApusTesting
import Foundation
import QuickStartApp
import Testing

/// HTTP/2 through swift-nio-http2: ALPN `h2` over TLS and prior knowledge (h2c) on plain TCP,
/// with real clients (httpx with h2, curl). The quick start's routes answer over HTTP/2 exactly
/// as over HTTP/1.1: the same script sends the same requests both ways and the answers must
/// be equal.
@Suite("HTTP/2", .timeLimit(.minutes(2)), .enabled(if: TestTools.enabled, TestTools.skipNote))
struct HTTP2Tests {
    static func quickStart(_ configure: (inout ServerConfiguration) -> Void) -> App {
        let app = makeQuickStartApp()
        var configuration = app.configuration
        configuration.eventLoopThreads = 2
        configuration.stallThreshold = nil
        configure(&configuration)
        app.configuration = configuration
        return app
    }

    struct Checks: Decodable, Equatable {
        struct Result: Decodable, Equatable {
            var request: String
            var status: JSONValue
            var content_type: String?
            var body: JSONValue
        }
        var versions: [String]
        var results: [Result]
    }

    static func checks(_ base: String, ca: String, _ mode: String) async throws -> Checks {
        let (status, output) = try await TestTools.run(TestTools.python, [TestTools.script("http2_checks.py"), base, ca, mode], timeout: 90)
        try #require(status == 0, "\(output)")
        return try JSONDecoder().decode(Checks.self, from: Data(output.utf8))
    }

    @Test("over TLS, ALPN picks h2 for httpx and curl --http2, http/1.1 for the others; every answer equals HTTP/1.1's")
    func overTLS() async throws {
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        try certificates.install("apus-a", as: "served")
        let configure: (inout ServerConfiguration) -> Void = {
            $0.tls = .files(certificate: certificates.certificate("served"), key: certificates.key("served"))
        }
        // Each version on an app of its own: the items the app stores number from 1 in both.
        let http1 = try await TestClient.run(Self.quickStart(configure), mode: .live) { client async throws in
            try await Self.checks("https://127.0.0.1:\(try #require(client.port))", ca: certificates.ca, "http1")
        }
        try await TestClient.run(Self.quickStart(configure), mode: .live) { client async throws in
            let base = "https://127.0.0.1:\(try #require(client.port))"
            let http2 = try await Self.checks(base, ca: certificates.ca, "http2")
            #expect(http2.versions == ["HTTP/2"])
            #expect(http1.versions == ["HTTP/1.1"])
            #expect(http2.results == http1.results)
            // What the script saw, spot-checked: validation, the body limit, the stream, the events.
            let byRequest = Dictionary(http2.results.map { ($0.request, $0) }, uniquingKeysWith: { first, _ in first })
            #expect(byRequest["GET /items/0?q=" + String(repeating: "x", count: 60)]?.status == 422)
            #expect(byRequest["POST /items"]?.status == 201)
            #expect(byRequest["GET /count?to=5"]?.body == "1\n2\n3\n4\n5\n")
            #expect(byRequest["GET /clock?ticks=2"]?.body == ["event: tick", "id: 1", "event: tick", "id: 2"])
            #expect(byRequest["DELETE /models/resnet"]?.status == 405)
            let (status, output) = try await TestTools.run(
                "/usr/bin/curl", ["-sS", "-i", "--http2", "--cacert", certificates.ca, base + "/items/42?q=hello"])
            #expect(status == 0)
            #expect(output.hasPrefix("HTTP/2 200 \r\n"), "\(output)")
            #expect(output.contains("content-type: application/json\r\n"))
            #expect(output.hasSuffix(#"{"item_id":42,"q":"hello"}"#))
            // A body over the limit: 413 before the body is read.
            let body = certificates.folder.appendingPathComponent("big.json")
            try Data(repeating: UInt8(ascii: "x"), count: 2 << 20).write(to: body)
            let (_, refused) = try await TestTools.run(
                "/usr/bin/curl", ["-sS", "-i", "--http2", "--cacert", certificates.ca, "-H", "content-type: application/json",
                                  "--data-binary", "@\(body.path)", base + "/items"])
            #expect(refused.hasPrefix("HTTP/2 413 \r\n"), "\(refused)")
        }
    }

    @Test("on plain TCP with cleartext on, a client with prior knowledge speaks h2c and an HTTP/1.1 client still gets HTTP/1.1")
    func cleartext() async throws {
        let app = Self.quickStart { $0.http2.cleartext = true }
        try await TestClient.run(app, mode: .live) { client async throws in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let (status, output) = try await TestTools.run("/usr/bin/curl", ["-sS", "-i", "--http2-prior-knowledge", base + "/items/42?q=hello"])
            #expect(status == 0)
            #expect(output.hasPrefix("HTTP/2 200 \r\n"), "\(output)")
            #expect(output.hasSuffix(#"{"item_id":42,"q":"hello"}"#))
            let plain = try await client.get("/items/42?q=hello")
            #expect(plain.status == .ok)
            #expect(plain.text == #"{"item_id":42,"q":"hello"}"#)
            // A client that stops inside the preface is held only as long as the idle timeout allows; others are unaffected.
            let connection = try await client.rawConnection()
            try await connection.send("PRI * HTTP/2.0\r\n")
            #expect(try await client.get("/").status == .ok)
        }
    }

    @Test(
        "the example app turns h2c on from HTTP2_CLEARTEXT or --http2-cleartext (the key once read HTTP2CLEARTEXT: swift-configuration splits words only at a lower-upper boundary)",
        arguments: [(["--http2-cleartext"], [String: String]()), ([], ["HTTP2_CLEARTEXT": "true"])])
    func cleartextSetting(arguments: [String], environment: [String: String]) async throws {
        let executable = TestTools.executable("quickstart")
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "build the example first: swift build")
        let (process, port) = try await ServingProcess.launch(
            executable, arguments: ["--port", "0"] + arguments, environment: environment, port: ServingProcess.servingPort(in:))
        defer { if process.isRunning { process.terminate() } }
        let (status, output) = try await TestTools.run(
            "/usr/bin/curl", ["-sS", "-i", "-m", "10", "--http2-prior-knowledge", "http://127.0.0.1:\(port)/items/42?q=hello"])
        #expect(status == 0)
        #expect(output.hasPrefix("HTTP/2 200 \r\n"), "\(output)")
        #expect(output.hasSuffix(#"{"item_id":42,"q":"hello"}"#))
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test("without cleartext, plain TCP is HTTP/1.1 only: the HTTP/2 preface is not a request Apus answers as one")
    func cleartextOff() async throws {
        let app = Self.quickStart { _ in }
        try await TestClient.run(app, mode: .live) { client async throws in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let (_, output) = try await TestTools.run("/usr/bin/curl", ["-sS", "-i", "-m", "5", "--http2-prior-knowledge", base + "/"])
            #expect(!output.contains("HTTP/2 200"), "\(output)")
            #expect(try await client.get("/").status == .ok)
        }
    }

    @Test("graceful shutdown sends GOAWAY and lets the stream in flight finish (nghttp's frame log)")
    func goAwayOnShutdown() async throws {
        let gate = Gate()
        let app = makeApp { $0.http2.cleartext = true }
        app.get("/slow") { gate.wait(); return "finished" }
        let client = try await TestClient(app, mode: .live)
        let port = try #require(client.port)
        async let session = TestTools.run("/usr/bin/nghttp", ["-v", "http://127.0.0.1:\(port)/slow"], timeout: 30)
        try await eventually(10) { gate.arrived == 1 }
        async let stopped: Void = client.shutdown()
        // The GOAWAY is queued on the connection's loop before the answer can be.
        try await eventually(10) { client.runtime.connectionsAskedToFinish }
        gate.open()
        let (status, output) = try await session
        await stopped
        #expect(status == 0, "\(output)")
        #expect(output.contains("recv GOAWAY frame"), "\(output)")
        #expect(output.contains(":status: 200"))
        #expect(output.contains("\"finished\""))
    }
}
