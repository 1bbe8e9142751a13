import Apus
import ApusTesting
import NIOCore
import Testing

/// `app.onError` for the errors the framework makes, compared with FastAPI 0.165's answers for
/// the twin (`Tests/Conformance/fastapi_error_handlers.py`: handlers for RequestValidationError
/// and Starlette's HTTPException).
@Suite("Error handlers for framework errors")
struct ErrorHandlerTests {
    static func makeApp() -> App {
        let app = App(title: "Handlers")
        app.onError(RequestValidationError.self) { error, _ in
            let first = error.errors.first.map { JSONValue.array($0.loc.map(\.json)) } ?? .null
            return Response.json(.object([("problems", .int(Int64(error.errors.count))), ("first", first)]), status: .badRequest)
        }
        app.onError(HTTPError.self) { error, _ in
            let detail: String = if case .string(let text) = error.detail { text } else { error.detail.jsonString }
            return Response(status: error.status, headers: ["content-type": "text/plain; charset=utf-8"], body: "\(error.status.code): \(detail)")
        }
        app.get("/items/{item_id}", Path<Int>("item_id")) { id async in ["item_id": id] }
        app.get("/secure", HTTPBearer()) { _ async in [String: String]() }
        app.get("/teapot") { () async throws -> String in throw HTTPError(.imATeapot, detail: "I'm a teapot") }
        app.post("/small", bodyLimit: 4, Body<String>()) { text async in text }
        return app
    }

    @Test("validation, routing, security and handler errors reach the app's handlers, as in FastAPI")
    func asFastAPI() async throws {
        try await TestClient.run(Self.makeApp()) { client in
            let invalid = try await client.get("/items/x")
            #expect(invalid.status == .badRequest)
            #expect(invalid.headers == ["content-type": "application/json", "content-length": "41"])
            #expect(invalid.text == #"{"problems":1,"first":["path","item_id"]}"#)
            for (method, path, status, text) in [
                (HTTPMethod.GET, "/nowhere", 404, "404: Not Found"), (.POST, "/items/1", 405, "405: Method Not Allowed"),
                (.GET, "/secure", 401, "401: Not authenticated"), (.GET, "/teapot", 418, "418: I'm a teapot"),
            ] {
                let response = try await client.request(method, path)
                #expect(response.status.code == UInt(status), "\(path)")
                #expect(response.header("content-type") == "text/plain; charset=utf-8", "\(path)")
                #expect(response.text == text, "\(path)")
            }
        }
    }

    @Test("a body over the route's limit is an HTTPError the handlers see too (413)")
    func payloadTooLarge() async throws {
        try await TestClient.run(Self.makeApp()) { client in
            let response = try await client.post("/small", json: #""far too long""#)
            #expect(response.status == .payloadTooLarge)
            #expect(response.text == "413: Request Entity Too Large")
        }
    }
}

/// `App(errors: .problemDetails)`: RFC 9457 problem details for every error Apus makes.
@Suite("Problem details")
struct ProblemDetailsTests {
    struct Broken: Error {}

    static func problemApp() -> App {
        let app = makeApp()
        app.errorFormat = .problemDetails
        app.get("/items/{item_id}", Path<Int>("item_id"), Query<Int>("limit")) { id, limit async in ["item_id": id, "limit": limit] }
        app.get("/secure", HTTPBearer()) { _ async in [String: String]() }
        app.get("/broken") { () async throws -> String in throw Broken() }
        return app
    }

    @Test("404, 401, 422 and 500 are application/problem+json; the 422's entries are in errors")
    func shapes() async throws {
        try await TestClient.run(Self.problemApp()) { client in
            let missing = try await client.get("/nowhere")
            #expect(missing.status == .notFound)
            #expect(missing.headers == ["content-type": "application/problem+json", "content-length": "76"])
            #expect(missing.text == #"{"type":"about:blank","title":"Not Found","status":404,"detail":"Not Found"}"#)
            let unauthorized = try await client.get("/secure")
            #expect(unauthorized.header("www-authenticate") == "Bearer")
            #expect(unauthorized.text == #"{"type":"about:blank","title":"Unauthorized","status":401,"detail":"Not authenticated"}"#)
            let invalid = try await client.get("/items/x")
            #expect(invalid.status == .unprocessableEntity)
            #expect(invalid.header("content-type") == "application/problem+json")
            #expect(
                invalid.text
                    == #"{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"2 invalid values in the request","errors":[{"type":"int_parsing","loc":["path","item_id"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"x"},{"type":"missing","loc":["query","limit"],"msg":"Field required","input":null}]}"#
            )
            let broken = try await client.get("/broken")
            #expect(broken.status == .internalServerError)
            #expect(broken.text == #"{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"Internal Server Error"}"#)
        }
    }

    @Test("the document's 422 is the problem shape")
    func document() throws {
        let document = try Self.problemApp().openAPIDocument()
        let response = document["paths"]?["/items/{item_id}"]?["get"]?["responses"]?["422"]?["content"]
        #expect(response == ["application/problem+json": ["schema": ["$ref": "#/components/schemas/ValidationProblem"]]])
        #expect(document["components"]?["schemas"]?["ValidationProblem"]?["required"] == ["type", "title", "status", "errors"])
        #expect(document["components"]?["schemas"]?["HTTPValidationError"] == nil)
    }
}

/// Async handlers, handlers on routers and the choice among several, and the connection's own
/// refusals (400, 408, 431) through the app's handlers. FastAPI's answers for the async handler,
/// the most specific handler and the handler that throws are recorded in part 2 of the twin
/// (`fastapi_error_handlers.py`): the same statuses, headers and bodies. Routers with handlers
/// and the connection's refusals have no FastAPI counterpart.
@Suite("Error handler scopes, kinds and choice", .timeLimit(.minutes(2)))
struct ErrorHandlerScopeTests {
    struct OutOfStock: Error { let item: String }
    struct Broken: Error {}

    static func text(_ text: String, _ status: HTTPResponseStatus) -> Response {
        Response(status: status, headers: ["content-type": "text/plain; charset=utf-8"], body: ByteBuffer(string: text))
    }

    static func scopedApp(_ configure: (inout ServerConfiguration) -> Void = { _ in }) -> App {
        let app = makeApp(configure)
        app.onError(OutOfStock.self) { error, _ async in
            await Task.yield()
            return Self.text("app: \(error.item) is out of stock", .conflict)
        }
        app.onError(HTTPError.self) { error, request async in
            await Task.yield()
            let target = request.uri.isEmpty ? "(no head)" : "\(request.method) \(request.uri)"
            return Self.text("app \(error.status.code) for \(target)", error.status)
        }
        app.onError(Broken.self) { _, _ in throw HTTPError(.serviceUnavailable, detail: "try later") }
        app.get("/apples") { () async throws -> String in throw OutOfStock(item: "apples") }
        app.get("/broken") { () async throws -> String in throw Broken() }
        app.get("/sync-broken") { () throws -> String in throw Broken() }
        app.post("/small", bodyLimit: 4, Body<String>()) { text async in text }

        let shop = Router(prefix: "/shop")
        shop.onError((any Error).self) { error, _ in Self.text("shop caught \(type(of: error))", .badGateway) }
        shop.onError(RequestValidationError.self) { error, _ in Self.text("shop: \(error.errors.count) invalid", .badRequest) }
        shop.get("/pears") { () async throws -> String in throw OutOfStock(item: "pears") }
        shop.get("/broken") { () throws -> String in throw Broken() }
        shop.get("/other") { () async throws -> String in throw CancellationError() }
        shop.get("/items/{id}", Path<Int>("id")) { id async in ["id": id] }
        app.include(shop)
        app.get("/items/{id}", Path<Int>("id")) { id async in ["id": id] }
        app.webSocket("/ws", APIKeyQuery(name: "token")) { ws, _ in try await ws.accept() }
        return app
    }

    @Test("a WebSocket handshake a security scheme refuses is answered by the handlers too")
    func webSocketRefusal() async throws {
        for mode in [TestClient.Mode.inProcess, .live] {
            try await TestClient.run(Self.scopedApp(), mode: mode) { client async throws in
                do {
                    try await client.webSocket("/ws") { _ in }
                    Issue.record("accepted without a token")
                } catch let denied as WebSocketDenied {
                    #expect(denied.response.status == .unauthorized, "\(mode)")
                    #expect(denied.response.header("content-type") == "text/plain; charset=utf-8", "\(mode)")
                    #expect(denied.response.text == "app 401 for GET /ws", "\(mode)")
                }
            }
        }
    }

    @Test("an async handler answers, and a handler that throws answers with what it threw")
    func asyncAndThrowing() async throws {
        try await TestClient.run(Self.scopedApp()) { client in
            let apples = try await client.get("/apples")
            #expect(apples.status == .conflict)
            #expect(apples.headers == ["content-type": "text/plain; charset=utf-8", "content-length": "27"])
            #expect(apples.text == "app: apples is out of stock")
            for path in ["/broken", "/sync-broken"] {
                let broken = try await client.get(path)
                #expect(broken.status == .serviceUnavailable, "\(path)")
                #expect(broken.headers == ["content-type": "application/json", "content-length": "22"], "\(path)")
                #expect(broken.text == #"{"detail":"try later"}"#, "\(path)")
            }
        }
    }

    @Test("a router's handlers answer its routes' errors first; the exact type wins over a protocol wherever it was registered")
    func routerScope() async throws {
        try await TestClient.run(Self.scopedApp()) { client in
            // The app's exact OutOfStock handler beats the router's catch-all.
            let pears = try await client.get("/shop/pears")
            #expect(pears.status == .conflict)
            #expect(pears.text == "app: pears is out of stock")
            // Broken has an exact handler at the app: it beats the router's catch-all too.
            let broken = try await client.get("/shop/broken")
            #expect(broken.status == .serviceUnavailable)
            #expect(broken.text == #"{"detail":"try later"}"#)
            // An error only the router's catch-all takes.
            let other = try await client.get("/shop/other")
            #expect(other.status == .badGateway)
            #expect(other.headers == ["content-type": "text/plain; charset=utf-8", "content-length": "29"])
            #expect(other.text == "shop caught CancellationError")
            // The router's 422 handler is for its routes only.
            let shopInvalid = try await client.get("/shop/items/x")
            #expect(shopInvalid.status == .badRequest)
            #expect(shopInvalid.text == "shop: 1 invalid")
            let appInvalid = try await client.get("/items/x")
            #expect(appInvalid.status == .unprocessableEntity)
            #expect(appInvalid.header("content-type") == "application/json")
            // Routing's 404 has no route: the app's handlers.
            let missing = try await client.get("/shop/nowhere")
            #expect(missing.status == .notFound)
            #expect(missing.text == "app 404 for GET /shop/nowhere")
        }
    }

    @Test("an async handler answers routing's 404/405 and the 413s (declared and streamed) over a real socket")
    func asyncHandlerForRefusals() async throws {
        try await TestClient.run(Self.scopedApp(), mode: .live) { client async throws in
            let missing = try await client.get("/nowhere")
            #expect(missing.status == .notFound)
            #expect(missing.headers["content-type"] == ["text/plain; charset=utf-8"])
            #expect(missing.text == "app 404 for GET /nowhere")
            let wrongMethod = try await client.request(.DELETE, "/apples")
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.text == "app 405 for DELETE /apples")
            let declared = try await client.post("/small", json: #""far too long""#)
            #expect(declared.status == .payloadTooLarge)
            #expect(declared.text == "app 413 for POST /small")
            // Chunked: the limit is met while the body streams in.
            let connection = try await client.rawConnection()
            try await connection.send(
                "POST /small HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n\"far too long...\"\r\n")
            let (text, closed) = try await connection.readUntilClosed(timeout: .seconds(5))
            #expect(closed)
            #expect(text.hasPrefix("HTTP/1.1 413 Payload Too Large\r\n"))
            #expect(text.hasSuffix("\r\n\r\napp 413 for POST /small"))
        }
    }

    @Test("the connection's own 400, 431 and 408 go through the app's handlers, with the head when it was complete")
    func engineRefusals() async throws {
        let app = Self.scopedApp {
            $0.maxHeaderSize = 1024
            $0.requestTimeout = .seconds(1)
        }
        try await TestClient.run(app, mode: .live) { client async throws in
            let cases: [(send: String, status: String, body: String)] = [
                ("GET / HTTP/1.1\r\nHost t\r\n\r\n", "HTTP/1.1 400 Bad Request", "app 400 for (no head)"),
                ("GET / HTTP/1.1\r\nHost: t\r\nX-Big: \(String(repeating: "a", count: 2000))\r\n\r\n",
                 "HTTP/1.1 431 Request Header Fields Too Large", "app 431 for (no head)"),
                ("GET /apples HTTP/1.1\r\n\r\n", "HTTP/1.1 400 Bad Request", "app 400 for GET /apples"),
                ("GET /apples HTTP/1.1\r\nHo", "HTTP/1.1 408 Request Timeout", "app 408 for (no head)"),
                ("POST /small HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\n\"", "HTTP/1.1 408 Request Timeout",
                 "app 408 for POST /small"),
            ]
            for (send, status, body) in cases {
                let connection = try await client.rawConnection()
                try await connection.send(send)
                let (text, closed) = try await connection.readUntilClosed(timeout: .seconds(5))
                #expect(closed, "\(send)")
                #expect(text.hasPrefix(status + "\r\n"), "\(send): \(text)")
                #expect(text.contains("\r\ncontent-type: text/plain; charset=utf-8\r\n"), "\(send)")
                #expect(text.hasSuffix("\r\n\r\n" + body), "\(send): \(text)")
            }
        }
    }
}
