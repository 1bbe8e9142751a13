import Apus
import ApusTesting
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
