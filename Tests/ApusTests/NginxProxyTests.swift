import Apus
import ApusTesting
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A real nginx (Debian's package, started by the test on 127.0.0.1 with a generated
/// configuration) in front of the app: it terminates TLS, serves the app under `/api/`
/// (stripping the prefix and saying so in `X-Forwarded-Prefix`), and connects to the app from
/// 127.0.0.2, the one trusted proxy address. Clients connect from 127.0.0.1.
struct Nginx {
    let process: Process
    let port: Int
    let folder: URL

    static let executable = "/usr/sbin/nginx"

    /// Starts nginx in front of `appPort`; a port taken between picking and binding is picked again.
    static func start(proxyingTo appPort: Int, certificates: TestCertificates) async throws -> Nginx {
        var lastLog = ""
        for _ in 0..<5 {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("apus-nginx-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let port = try Self.freePort()
            let configuration = """
                daemon off;
                master_process off;
                worker_processes 1;
                pid \(folder.path)/nginx.pid;
                error_log \(folder.path)/error.log warn;
                events { worker_connections 64; }
                http {
                    access_log off;
                    client_body_temp_path \(folder.path)/body;
                    proxy_temp_path \(folder.path)/proxy;
                    fastcgi_temp_path \(folder.path)/fastcgi;
                    uwsgi_temp_path \(folder.path)/uwsgi;
                    scgi_temp_path \(folder.path)/scgi;
                    server {
                        listen 127.0.0.1:\(port) ssl;
                        ssl_certificate \(certificates.certificate("served"));
                        ssl_certificate_key \(certificates.key("served"));
                        location /api/ {
                            proxy_pass http://127.0.0.1:\(appPort)/;
                            proxy_bind 127.0.0.2;
                            proxy_set_header Host $http_host;
                            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                            proxy_set_header X-Forwarded-Proto $scheme;
                            proxy_set_header X-Forwarded-Prefix /api;
                        }
                    }
                }

                """
            let file = folder.appendingPathComponent("nginx.conf")
            try configuration.write(to: file, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.executable)
            process.arguments = ["-p", folder.path, "-c", file.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning && Date() < deadline {
                if (try? SocketProbe.canConnect(port: port)) == true { return Nginx(process: process, port: port, folder: folder) }
                try await Task.sleep(for: .milliseconds(20))
            }
            lastLog = (try? String(contentsOf: folder.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: folder)
            // Another test took the port between the look and nginx's bind: pick again; any other failure stops.
            guard lastLog.contains("Address already in use") else { break }
        }
        throw ToolFailure("nginx did not start: \(lastLog)")
    }

    /// A port free a moment ago.
    static func freePort() throws -> Int {
        let (descriptor, port) = try DevServerSupportTests.listeningSocket()
        close(descriptor)
        return port
    }

    func stop() {
        if self.process.isRunning { kill(self.process.processIdentifier, SIGKILL) }
        self.process.waitUntilExit()
        try? FileManager.default.removeItem(at: self.folder)
    }
}

@Suite("Behind nginx", .timeLimit(.minutes(2)), .enabled(if: FileManager.default.isExecutableFile(atPath: Nginx.executable) || TestTools.enabled))
struct NginxProxyTests {
    struct Seen: Codable {
        var client: String?
        var scheme: String
        var host: String?
        var root_path: String
        var base_url: String
    }

    @Test("under nginx's /api/ with TLS: /docs and the document point under /api, the 307 keeps https, the client is nginx's client")
    func servedUnderPrefix() async throws {
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        try certificates.install("apus-a", as: "served")
        let app = makeApp { $0.trustedProxies = ["127.0.0.2"] }
        app.get("/seen", .request) { request in
            Seen(client: request.client?.host, scheme: request.scheme, host: request.host, root_path: request.rootPath, base_url: request.baseURL)
        }
        app.get("/items/") { ["items": [String]()] }
        try await TestClient.run(app, mode: .live) { client async throws in
            let nginx = try await Nginx.start(proxyingTo: try #require(client.port), certificates: certificates)
            defer { nginx.stop() }
            let base = "https://127.0.0.1:\(nginx.port)"
            func curl(_ path: String, _ extra: [String] = []) async throws -> String {
                let (status, output) = try await TestTools.run("/usr/bin/curl", ["-sS", "-i", "--cacert", certificates.ca] + extra + [base + path])
                #expect(status == 0, "\(output)")
                return output
            }
            // The client's own X-Forwarded-For is a claim nginx passes on; the address nginx saw wins.
            let seen = try await curl("/api/seen", ["-H", "X-Forwarded-For: 203.0.113.5"])
            #expect(seen.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(seen)")
            #expect(seen.hasSuffix(
                #"{"client":"127.0.0.1","scheme":"https","host":"127.0.0.1:\#(nginx.port)","root_path":"/api","base_url":"https://127.0.0.1:\#(nginx.port)/api/"}"#),
                "\(seen)")
            let docs = try await curl("/api/docs")
            #expect(docs.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(docs.contains("url: '/api/openapi.json'"))
            let document = try await curl("/api/openapi.json")
            #expect(document.contains(#""servers":[{"url":"/api"}]"#), "\(document)")
            let redirect = try await curl("/api/items")
            #expect(redirect.hasPrefix("HTTP/1.1 307 Temporary Redirect\r\n"), "\(redirect)")
            #expect(redirect.contains("location: https://127.0.0.1:\(nginx.port)/api/items/\r\n"), "\(redirect)")
            let followed = try await curl("/api/items", ["-L"])
            #expect(followed.hasSuffix(#"{"items":[]}"#), "\(followed)")
            // Straight to the app (from 127.0.0.1, not trusted), the same headers change nothing.
            let direct = try await client.get("/seen", headers: [
                "x-forwarded-for": "203.0.113.5", "x-forwarded-proto": "https", "x-forwarded-prefix": "/api", "host": "shop.example",
            ])
            #expect(direct.text == #"{"client":"127.0.0.1","scheme":"http","host":"shop.example","root_path":"","base_url":"http://shop.example/"}"#)
        }
    }
}
