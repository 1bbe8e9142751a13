import Apus
import ApusTesting
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A test certificate authority and two server certificates it signed for 127.0.0.1
/// (common names `apus-a` and `apus-b`), made with Debian's openssl in a temporary folder.
struct TestCertificates {
    let folder: URL
    var ca: String { self.folder.appendingPathComponent("ca.pem").path }
    func certificate(_ name: String) -> String { self.folder.appendingPathComponent("\(name).pem").path }
    func key(_ name: String) -> String { self.folder.appendingPathComponent("\(name).key").path }

    static func make() async throws -> TestCertificates {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("apus-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let certificates = TestCertificates(folder: folder)
        let extensions = folder.appendingPathComponent("server.ext")
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\n".write(to: extensions, atomically: true, encoding: .utf8)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try await Self.openssl(["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Apus Test CA"], in: folder)
        for name in ["apus-a", "apus-b"] {
            try await Self.openssl(["req"] + ec + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=\(name)"], in: folder)
            try await Self.openssl(
                ["x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "\(name).pem",
                 "-days", "2", "-extfile", "server.ext"], in: folder)
        }
        return certificates
    }

    private static func openssl(_ arguments: [String], in folder: URL) async throws {
        let (status, output) = try await TestTools.run("/usr/bin/openssl", arguments, in: folder)
        guard status == 0 else { throw ToolFailure("openssl \(arguments.joined(separator: " ")): \(output)") }
    }

    /// Puts `name`'s certificate and key where `served` points (as a renewal writes them).
    func install(_ name: String, as served: String) throws {
        for (source, target) in [(self.certificate(name), self.certificate(served)), (self.key(name), self.key(served))] {
            try? FileManager.default.removeItem(atPath: target)
            try FileManager.default.copyItem(atPath: source, toPath: target)
        }
    }

    func remove() { try? FileManager.default.removeItem(at: self.folder) }
}

@Suite("TLS", .timeLimit(.minutes(2)))
struct TLSTests {
    static func tlsApp(_ certificates: TestCertificates) -> App {
        let app = makeApp { $0.tls = .files(certificate: certificates.certificate("served"), key: certificates.key("served")) }
        app.get("/hello", .request) { request in PlainText("hello over \(request.scheme)") }
        app.get("/items/", .request) { _ in "items" }
        return app
    }

    @Test("the server speaks https with its certificate: curl trusting the test CA gets the answer, the request's scheme is https")
    func servesHTTPS() async throws {
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        try certificates.install("apus-a", as: "served")
        try await TestClient.run(Self.tlsApp(certificates), mode: .live) { client async throws in
            let port = try #require(client.port)
            let (status, output) = try await TestTools.run(
                "/usr/bin/curl", ["-sS", "-i", "--http1.1", "--cacert", certificates.ca, "https://127.0.0.1:\(port)/hello"])
            #expect(status == 0, "\(output)")
            #expect(output.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(output)")
            #expect(output.contains("content-type: text/plain; charset=utf-8\r\n"))
            #expect(output.hasSuffix("\r\n\r\nhello over https"))
            // The trailing-slash redirect keeps the scheme.
            let (_, redirect) = try await TestTools.run(
                "/usr/bin/curl", ["-sS", "-i", "--http1.1", "--cacert", certificates.ca, "https://127.0.0.1:\(port)/items"])
            #expect(redirect.contains("location: https://127.0.0.1:\(port)/items/\r\n"), "\(redirect)")
            // Plain HTTP on the TLS port gets no answer and harms nothing.
            let (_, plain) = try await TestTools.run("/usr/bin/curl", ["-sS", "-m", "5", "http://127.0.0.1:\(port)/hello"])
            #expect(!plain.contains("hello over"))
            let (againStatus, again) = try await TestTools.run(
                "/usr/bin/curl", ["-sS", "--cacert", certificates.ca, "https://127.0.0.1:\(port)/hello"])
            #expect(againStatus == 0)
            #expect(again == "hello over https")
        }
    }

    @Test("a reload serves the renewed certificate to new connections; a connection open across it keeps working")
    func reloadKeepsConnections() async throws {
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        try certificates.install("apus-a", as: "served")
        let client = try await TestClient(Self.tlsApp(certificates), mode: .live)
        let port = try #require(client.port)
        let ready = certificates.folder.appendingPathComponent("ready").path
        let go = certificates.folder.appendingPathComponent("go").path
        async let held = TestTools.run(
            TestTools.python, [TestTools.script("tls_keepalive.py"), "\(port)", certificates.ca, ready, go], timeout: 60)
        try await eventually(20) { FileManager.default.fileExists(atPath: ready) }
        try certificates.install("apus-b", as: "served")
        #expect(try client.runtime.reloadTLS())
        FileManager.default.createFile(atPath: go, contents: nil)
        let (status, output) = try await held
        #expect(status == 0, "\(output)")
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == #"{"first": {"status": 200, "body": "hello over https"}, "first_cn": "apus-a", "held_again": {"status": 200, "body": "hello over https"}, "held_cn": "apus-a", "fresh": {"status": 200, "body": "hello over https"}, "fresh_cn": "apus-b"}"#)
        // A renewal that does not load leaves the current certificate in place.
        try "not a certificate".write(toFile: certificates.certificate("served"), atomically: true, encoding: .utf8)
        #expect(throws: TLSSetupError.self) { try client.runtime.reloadTLS() }
        let (_, after) = try await TestTools.run("/usr/bin/curl", ["-sS", "--cacert", certificates.ca, "https://127.0.0.1:\(port)/hello"])
        #expect(after == "hello over https")
        await client.shutdown()
    }

    @Test("a certificate file that cannot be read stops the start with the file named")
    func missingCertificate() async throws {
        let app = makeApp { $0.tls = .files(certificate: "/nonexistent/cert.pem", key: "/nonexistent/key.pem") }
        app.get("/") { "x" }
        await #expect {
            try await TestClient.run(app, mode: .live) { _ in }
        } throws: { error in
            "\(error)".hasPrefix("TLS: cannot read the certificate chain /nonexistent/cert.pem:")
        }
    }

    @Test("the example app takes --tls-certificate and --tls-key from the environment and reloads them on SIGHUP")
    func quickStartOnSIGHUP() async throws {
        let executable = TestTools.executable("quickstart")
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "build the example first: swift build")
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        try certificates.install("apus-a", as: "served")
        let (process, port) = try await ServingProcess.launch(
            executable, environment: ["TLS_CERTIFICATE": certificates.certificate("served"), "TLS_KEY": certificates.key("served")])
        defer { if process.isRunning { process.terminate() } }
        let curl = ["-sS", "-v", "--cacert", certificates.ca, "https://127.0.0.1:\(port)/"]
        try await Self.waitUntil(20) { (try? await TestTools.run("/usr/bin/curl", curl).status) == 0 }
        #expect(try await TestTools.run("/usr/bin/curl", curl).output.contains("CN=apus-a"))
        try certificates.install("apus-b", as: "served")
        kill(process.processIdentifier, SIGHUP)
        try await Self.waitUntil(10) { (try? await TestTools.run("/usr/bin/curl", curl).output.contains("CN=apus-b")) == true }
        #expect(process.isRunning)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    /// Waits until `condition` holds (an async one: a curl run), at most `seconds`.
    static func waitUntil(_ seconds: Double, _ condition: () async -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while await !condition() {
            guard Date() < deadline else {
                Issue.record("condition not met within \(seconds) s")
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
