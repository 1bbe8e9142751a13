import Apus
import ApusTesting
import Foundation
import Logging
import Testing

/// What an app behind a reverse proxy sees: the client, scheme and host a trusted proxy names
/// (and nobody else), the root path in routing, redirects, the docs pages and `servers`.
/// Golden/deployment.json holds what FastAPI 0.165 under uvicorn (`--root-path /api/v1
/// --proxy-headers --forwarded-allow-ips '*'`) answered, from Tests/Conformance/fastapi_deployment.py.
@Suite("Behind a proxy", .timeLimit(.minutes(1)))
struct ProxyTests {
    struct Seen: Codable, Sendable {
        var root_path: String
        var base_url: String
        var scheme: String
        var client: String?
    }

    struct Origin: Codable, Sendable {
        var client: String?
        var port: Int?
        var scheme: String
        var host: String?
        var root_path: String
        var path: String
    }

    /// The twin of the FastAPI app of fastapi_deployment.py.
    static func deploymentApp(_ configure: (inout ServerConfiguration) -> Void = { _ in }) -> App {
        var configuration = makeApp().configuration
        configuration.rootPath = "/api/v1"
        configuration.trustedProxies = ["*"]
        configure(&configuration)
        let app = App(
            title: "Deployment", version: "1.0.0", configuration: configuration,
            logger: Logger(label: "apus.test") { _ in SwiftLogNoOpLogHandler() })
        app.servers = [OpenAPIServer(url: "https://stag.example.com", description: "Staging")]
        app.get("/items/", .request) { request in
            Seen(root_path: request.rootPath, base_url: request.baseURL, scheme: request.scheme, client: request.client?.host)
        }
        return app
    }

    /// An app that answers what it sees of the request's origin.
    static func originApp(trusting proxies: [String], rootPath: String = "") -> App {
        let app = makeApp {
            $0.trustedProxies = proxies
            $0.rootPath = rootPath
        }
        app.get("/origin", .request) { request in
            Origin(
                client: request.client?.host, port: request.client?.port, scheme: request.scheme, host: request.host,
                root_path: request.rootPath, path: request.path)
        }
        return app
    }

    struct Golden: Decodable {
        var cases: [GoldenCase]
    }

    @Test("root path, servers, docs pages, redirects and proxy headers answer as FastAPI under uvicorn's --root-path and --proxy-headers")
    func matchesFastAPI() async throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/deployment.json")
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
        try await TestClient.run(Self.deploymentApp(), mode: .live) { client async throws in
            for recorded in golden.cases {
                var headers = HTTPHeaders()
                for pair in recorded.headers where pair.count == 2 { headers.add(name: pair[0], value: pair[1]) }
                let response = try await client.request(HTTPMethod(rawValue: recorded.method), recorded.url, headers: headers, body: nil)
                #expect(Int(response.status.code) == recorded.status, "\(recorded.name)")
                #expect(response.header("location") == recorded.location, "\(recorded.name)")
                #expect(response.header("content-type") == recorded.content_type, "\(recorded.name)")
                if recorded.url == "/openapi.json" {
                    // The paths differ (FastAPI's handler returns a dict, schema-less); the servers must not.
                    let fastAPI = try JSONParser.parse(Array(recorded.response.utf8))
                    #expect(response.json?["servers"] == fastAPI["servers"])
                    #expect(response.json?["servers"] != nil)
                } else if recorded.content_type?.hasPrefix("text/html") == true {
                    // FastAPI 0.165 indents its pages' lines; the lines themselves must be the same.
                    #expect(Self.lines(response.text) == Self.lines(recorded.response), "\(recorded.name)")
                } else {
                    #expect(response.text == recorded.response, "\(recorded.name)")
                }
            }
        }
    }

    static func lines(_ page: String) -> [String] {
        page.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    @Test("the in-process client is testclient:50000 over http, as Starlette's; a live one is the socket's peer")
    func clientAddress() async throws {
        let app = Self.originApp(trusting: [])
        try await TestClient.run(app) { client async throws in
            let response = try await client.get("/origin")
            #expect(response.status == .ok)
            #expect(response.text == #"{"client":"testclient","port":50000,"scheme":"http","host":"testserver","root_path":"","path":"/origin"}"#)
        }
        try await TestClient.run(app, mode: .live) { client async throws in
            let origin = try JSONDecoder().decode(Origin.self, from: Data(try await client.get("/origin").text.utf8))
            #expect(origin.client == "127.0.0.1")
            #expect((origin.port ?? 0) > 0)
            #expect(origin.host == "127.0.0.1:\(client.port ?? 0)")
        }
    }

    @Test("a peer that is not a trusted proxy cannot claim another client, scheme, host or prefix")
    func spoofingIgnored() async throws {
        let app = Self.originApp(trusting: ["10.0.0.0/8", "::1"])
        try await TestClient.run(app, mode: .live) { client async throws in
            let port = client.port ?? 0
            let response = try await client.get("/origin", headers: [
                "x-forwarded-for": "203.0.113.7", "x-forwarded-proto": "https", "x-forwarded-host": "evil.example",
                "x-forwarded-prefix": "/admin", "forwarded": "for=198.51.100.1;proto=https;host=evil.example",
            ])
            #expect(response.status == .ok)
            let origin = try JSONDecoder().decode(Origin.self, from: Data(response.text.utf8))
            #expect(origin.client == "127.0.0.1")
            #expect(origin.scheme == "http")
            #expect(origin.host == "127.0.0.1:\(port)")
            #expect(origin.root_path == "")
        }
    }

    @Test("through a chain of trusted proxies the client is the rightmost address that is not one of them")
    func trustedChain() async throws {
        let app = Self.originApp(trusting: ["127.0.0.1", "10.0.0.0/8"])
        try await TestClient.run(app, mode: .live) { client async throws in
            let chained = try await client.get("/origin", headers: [
                "x-forwarded-for": "203.0.113.9, 198.51.100.1, 10.0.0.5", "x-forwarded-proto": "https",
                "x-forwarded-host": "shop.example:8443",
            ])
            #expect(chained.text == #"{"client":"198.51.100.1","port":0,"scheme":"https","host":"shop.example:8443","root_path":"","path":"/origin"}"#)
            // RFC 7239: the element of the first untrusted hop gives scheme and host; quoted IPv6 with a port.
            let forwarded = try await client.get("/origin", headers: [
                "forwarded": #"for="[2001:db8::17]:4711";proto=https;host=shop.example, for=10.0.0.7;proto=http"#,
                "x-forwarded-for": "192.0.2.1",
            ])
            #expect(forwarded.text == #"{"client":"2001:db8::17","port":4711,"scheme":"https","host":"shop.example","root_path":"","path":"/origin"}"#)
            // A value that is no address leaves the peer; a scheme that is neither http nor https is ignored.
            let odd = try await client.get("/origin", headers: ["x-forwarded-for": "unknown", "x-forwarded-proto": "gopher"])
            #expect(odd.text.hasPrefix(#"{"client":"127.0.0.1","#))
            #expect(odd.text.contains(#""scheme":"http""#))
        }
    }

    @Test("a trusted X-Forwarded-Prefix is the request's root path: the docs pages and servers follow it")
    func forwardedPrefix() async throws {
        let app = Self.originApp(trusting: ["127.0.0.1"], rootPath: "/api")
        try await TestClient.run(app, mode: .live) { client async throws in
            let prefixed = try await client.get("/shop/origin", headers: ["x-forwarded-prefix": "/shop/"])
            #expect(prefixed.status == .ok)
            #expect(prefixed.text.hasSuffix(#""root_path":"/shop","path":"/origin"}"#))
            let docs = try await client.get("/docs", headers: ["x-forwarded-prefix": "/shop"])
            #expect(docs.text.contains("url: '/shop/openapi.json'"))
            #expect(docs.text.contains("oauth2RedirectUrl: window.location.origin + '/shop/docs/oauth2-redirect'"))
            let document = try await client.get("/openapi.json", headers: ["x-forwarded-prefix": "/shop"])
            #expect(document.json?["servers"] == [["url": "/shop"]])
            // Without the header: the configured root path, with or without it on the path.
            let configured = try await client.get("/docs")
            #expect(configured.text.contains("url: '/api/openapi.json'"))
            #expect(try await client.get("/api/origin").text.hasSuffix(#""root_path":"/api","path":"/origin"}"#))
            #expect(try await client.get("/origin").text.hasSuffix(#""root_path":"/api","path":"/origin"}"#))
            // A path that only starts with the same letters is not under it.
            #expect(try await client.get("/apix/origin").status == .notFound)
            let redirect = try await client.get("/api/origin/", headers: ["x-forwarded-proto": "https", "host": "shop.example"])
            #expect(redirect.status == .temporaryRedirect)
            #expect(redirect.header("location") == "https://shop.example/api/origin")
        }
    }

    @Test("a trusted proxies entry that is no address or range stops the app with the entry named")
    func invalidEntry() async throws {
        let app = Self.originApp(trusting: ["10.0.0.0/33"])
        await #expect {
            try await TestClient.run(app) { _ in }
        } throws: { error in
            "\(error)" == #"trustedProxies: "10.0.0.0/33" has no valid prefix length (0 to 32)"#
        }
        let named = Self.originApp(trusting: ["proxy.internal"])
        await #expect {
            try await TestClient.run(named) { _ in }
        } throws: { error in
            "\(error)" == #"trustedProxies: "proxy.internal" is not an IP address, a CIDR range or "*""#
        }
    }
}
