import Apus
import ApusTesting
import CompressNIO
import Foundation
import Logging
import Testing

// Golden/middleware.json holds what Starlette 1.10's CORS, TrustedHost, HTTPS-redirect and GZip
// middleware answered (Tests/Conformance/starlette_middleware.py); `middlewareApp` builds the
// Apus twins.

func middlewareApp(_ name: String) -> App {
    let app = makeApp()
    app.get("/items") { () async -> JSONValue in ["items": ["a", "b"]] }
    app.post("/items") { () async -> JSONValue in ["created": true] }
    app.get("/big") { () async in PlainText(String(repeating: "x", count: 600)) }
    app.get("/small") { () async in PlainText("tiny") }
    switch name {
    case "cors_strict":
        app.addMiddleware(
            CORSMiddleware(
                allowOrigins: ["https://app.example"], allowMethods: ["GET", "POST"], allowHeaders: ["X-Token"],
                exposeHeaders: ["X-Total"], maxAge: 300))
    case "cors_credentials":
        app.addMiddleware(
            CORSMiddleware(allowOrigins: ["https://app.example"], allowMethods: ["*"], allowHeaders: ["*"], allowCredentials: true))
    case "cors_any": app.addMiddleware(CORSMiddleware(allowOrigins: ["*"]))
    case "trusted": app.addMiddleware(TrustedHostMiddleware(allowedHosts: ["example.com", "*.example.org"]))
    case "https": app.addMiddleware(HTTPSRedirectMiddleware())
    case "gzip": app.addMiddleware(GZipMiddleware(minimumSize: 500))
    default: break
    }
    return app
}

/// Records the order middleware and handlers run in.
struct Recorder: Middleware {
    let name: String
    let log: EventLog

    func respond(to request: Request, next: MiddlewareNext) async throws -> Response {
        log.add("\(name) in")
        var response = try await next(request)
        log.add("\(name) out")
        response.headers.add(name: "x-seen-by", value: name)
        return response
    }
}

@Suite("Middleware", .timeLimit(.minutes(1)))
struct MiddlewareTests {
    struct Case: Decodable {
        var app: String
        var method: String
        var url: String
        var headers: [[String]]
        var status: Int
        var response_headers: [String: String?]
        var body: String?
        var decoded_body: String
    }

    @Test("CORS, TrustedHost, HTTPS redirect and GZip answer as Starlette's (status, headers, body)")
    func matchesStarlette() async throws {
        struct Golden: Decodable { var cases: [Case] }
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/middleware.json")
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
        #expect(golden.cases.count == 24)
        for name in Set(golden.cases.map(\.app)) {
            try await TestClient.run(middlewareApp(name)) { client async throws in
                for recorded in golden.cases where recorded.app == name {
                    var headers = HTTPHeaders()
                    for pair in recorded.headers where pair.count == 2 { headers.add(name: pair[0], value: pair[1]) }
                    let response = try await client.request(HTTPMethod(rawValue: recorded.method), recorded.url, headers: headers, body: nil)
                    let label = "\(name) \(recorded.method) \(recorded.url) \(recorded.headers)"
                    #expect(Int(response.status.code) == recorded.status, "\(label)")
                    for (header, value) in recorded.response_headers {
                        #expect(response.header(header) == value, "\(label): \(header)")
                    }
                    var body = response.body
                    let text = response.header("content-encoding") == "gzip"
                        ? String(buffer: try body.decompress(with: .gzip())) : response.text
                    #expect(text == recorded.decoded_body, "\(label)")
                }
            }
        }
    }

    @Test("the middleware added last runs first; router middleware runs inside the app's, for its routes only")
    func order() async throws {
        let log = EventLog()
        let app = makeApp()
        app.addMiddleware(Recorder(name: "app-first-added", log: log))
        app.addMiddleware(Recorder(name: "app-last-added", log: log))
        let admin = Router(prefix: "/admin")
        admin.addMiddleware(Recorder(name: "router", log: log))
        admin.get("/stats") { () async in
            log.add("handler")
            return "stats"
        }
        app.include(admin)
        app.get("/public") { () async in "public" }
        try await TestClient.run(app) { client async throws in
            let stats = try await client.get("/admin/stats")
            #expect(stats.text == #""stats""#)
            #expect(stats.headers["x-seen-by"] == ["router", "app-first-added", "app-last-added"])
            #expect(
                log.all == [
                    "app-last-added in", "app-first-added in", "router in", "handler", "router out", "app-first-added out",
                    "app-last-added out",
                ])
            let public_ = try await client.get("/public")
            #expect(public_.headers["x-seen-by"] == ["app-first-added", "app-last-added"])
            let missing = try await client.get("/nowhere")
            #expect(missing.status == .notFound)
            #expect(missing.headers["x-seen-by"] == ["app-first-added", "app-last-added"])
        }
    }

    @Test("with middleware, sync handlers still run on the pool, dependencies and background tasks still work")
    func pipelineInsideMiddleware() async throws {
        let log = EventLog()
        let app = makeApp()
        app.addMiddleware(Recorder(name: "outer", log: log))
        let value = Dependency { () async in 41 }
        app.get("/sync", Depends(value), .backgroundTasks) { value, tasks in
            tasks.add { log.add("task") }
            return ["value": value + 1, "on pool": BlockingPool.isCurrentThreadPoolThread ? 1 : 0]
        }
        app.get("/fails") { () async throws -> String in throw HTTPError(.conflict, detail: "taken") }
        try await TestClient.run(app, mode: .live) { client async throws in
            let response = try await client.get("/sync")
            #expect(response.text == #"{"on pool":1,"value":42}"#)
            try await eventually { log.all.contains("task") }
            let failed = try await client.get("/fails")
            #expect(failed.status == .conflict)
            #expect(failed.text == #"{"detail":"taken"}"#)
            #expect(failed.headers["x-seen-by"] == ["outer"])
        }
    }

    @Test("the request log middleware logs one structured line per request and returns the request id")
    func requestLog() async throws {
        let handler = CapturingLogHandler()
        let app = makeApp()
        app.addMiddleware(RequestLogMiddleware(logger: .capturing(handler)))
        app.get("/items/{id}", Path<Int>("id"), Header<String>("x_request_id")) { id, requestID async in
            ["id": "\(id)", "seen": requestID]
        }
        try await TestClient.run(app) { client async throws in
            let given = try await client.get("/items/7", headers: ["x-request-id": "abc-123"])
            #expect(given.header("x-request-id") == "abc-123")
            #expect(given.text == #"{"id":"7","seen":"abc-123"}"#)
            let generated = try await client.get("/items/x")
            #expect(generated.status == .unprocessableEntity)
            let id = try #require(generated.header("x-request-id"))
            #expect(UUID(uuidString: id) != nil)
        }
        let lines = handler.logged.map(\.message)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("GET /items/7 200 ") && lines[0].hasSuffix(" ms"))
        #expect(lines[1].hasPrefix("GET /items/x 422 "))
        let metadata = handler.logged[0].metadata
        #expect(metadata["http.method"] == "GET")
        #expect(metadata["http.path"] == "/items/7")
        #expect(metadata["http.status"] == "200")
        #expect(metadata["request_id"] == "abc-123")
        #expect(metadata["duration_ms"] != nil)
    }
}
