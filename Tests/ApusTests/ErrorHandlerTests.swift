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
