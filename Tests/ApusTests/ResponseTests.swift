import Apus
import ApusTesting
import Foundation
import Logging
import Testing

struct OutOfStock: Error {
    var item: String
}

struct Inventory: Codable, Sendable {
    var name: String
    var count: Int
    var price: Double
    var ratio: Float
    var note: String?
    var tags: [String]
    var created: Date
    var id: UUID
    var nested: Message
}

@Suite("Responses and errors", .timeLimit(.minutes(1)))
struct ResponseTests {
    func app() -> App {
        let app = makeApp()
        app.get("/model") {
            Inventory(
                name: "Wïdget \"1\"\n", count: 3, price: 2, ratio: 0.5, note: nil, tags: ["a"],
                created: Date(timeIntervalSince1970: 1_714_979_289), id: UUID(uuidString: "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11")!,
                nested: Message(message: "hi"))
        }
        app.post("/created", status: .created) { ["ok": true] }
        app.delete("/gone", status: .noContent) { () async in }
        app.get("/text") { PlainText("Hello, World!") }
        app.get("/html") { HTML("<h1>Hi</h1>") }
        app.get("/redirect") { Redirect(to: "/ü x") }
        app.get("/json-value") { () -> JSONValue in ["b": 1, "a": [true, nil, 2.5, "x"], "c": ["nested": "value"]] }
        app.post("/json-value", Body<JSONValue>()) { value in JSONValue.array([value, ["wrapped": value]]) }
        app.get("/custom") { Response(status: .imATeapot, headers: ["x-brew": "earl grey"], body: "short and stout") }
        app.get("/http-error") { () async throws -> String in
            throw HTTPError(.notFound, detail: "Item not found", headers: ["x-error": "there goes my error"])
        }
        app.get("/http-error-default") { () throws -> String in throw HTTPError(.imATeapot) }
        app.get("/http-error-object") { () throws -> String in
            throw HTTPError(.badRequest, detail: ["code": 7, "reasons": ["a", "b"]])
        }
        app.get("/http-error-204") { () throws -> String in throw HTTPError(.noContent, headers: ["x-a": "b"]) }
        app.get("/crash") { () async throws -> String in throw CocoaError(.fileNoSuchFile) }
        app.get("/out-of-stock") { () throws -> String in throw OutOfStock(item: "widget") }
        app.get("/nan") { ["value": Double.nan] }
        app.onError(OutOfStock.self) { error, request in
            Response.json(["detail": .string("\(error.item) is out of stock"), "path": .string(request.path)], status: .conflict)
        }
        return app
    }

    @Test("an Encodable return value is compact JSON in declaration order, nil as null, floats as Python writes them")
    func encodableModel() async throws {
        try await TestClient.run(self.app()) { client async throws in
            let response = try await client.get("/model")
            #expect(response.status == .ok)
            #expect(response.header("content-type") == "application/json")
            let expected =
                #"{"name":"Wïdget \"1\"\n","count":3,"price":2.0,"ratio":0.5,"note":null,"tags":["a"],"created":"2024-05-06T07:08:09Z","id":"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11","nested":{"message":"hi"}}"#
            #expect(response.text == expected)
            #expect(response.header("content-length") == String(expected.utf8.count))
        }
    }

    @Test("a JSONValue is returned as JSON in its own key order, and read as any JSON body")
    func jsonValue() async throws {
        try await TestClient.run(self.app()) { client async throws in
            let response = try await client.get("/json-value")
            #expect(response.status == .ok)
            #expect(response.header("content-type") == "application/json")
            #expect(response.text == #"{"b":1,"a":[true,null,2.5,"x"],"c":{"nested":"value"}}"#)
            let echoed = try await client.post("/json-value", json: #"{"z":[1,{"y":null}],"a":"é"}"#)
            #expect(echoed.status == .ok)
            #expect(echoed.text == #"[{"z":[1,{"y":null}],"a":"é"},{"wrapped":{"z":[1,{"y":null}],"a":"é"}}]"#)
        }
    }

    @Test("the route's status is used; 204 has no body and no content-length")
    func statuses() async throws {
        try await TestClient.run(self.app(), mode: .live) { client async throws in
            let created = try await client.request(.POST, "/created")
            #expect(created.status == .created)
            #expect(created.text == #"{"ok":true}"#)
            let gone = try await client.delete("/gone")
            #expect(gone.status == .noContent)
            #expect(gone.header("content-length") == nil)
            #expect(gone.body.readableBytes == 0)
        }
    }

    @Test("plain text, HTML, redirect and a full Response")
    func responseTypes() async throws {
        try await TestClient.run(self.app()) { client async throws in
            let text = try await client.get("/text")
            #expect(text.header("content-type") == "text/plain; charset=utf-8")
            #expect(text.header("content-length") == "13")
            #expect(text.text == "Hello, World!")
            let html = try await client.get("/html")
            #expect(html.header("content-type") == "text/html; charset=utf-8")
            #expect(html.text == "<h1>Hi</h1>")
            let redirect = try await client.get("/redirect")
            #expect(redirect.status == .temporaryRedirect)
            #expect(redirect.header("location") == "/%C3%BC%20x")
            #expect(redirect.header("content-length") == "0")
            let custom = try await client.get("/custom")
            #expect(custom.status == .imATeapot)
            #expect(custom.header("x-brew") == "earl grey")
            #expect(custom.text == "short and stout")
        }
    }

    @Test("HTTPError answers {\"detail\": ...} with its headers")
    func httpError() async throws {
        try await TestClient.run(self.app()) { client async throws in
            let response = try await client.get("/http-error")
            #expect(response.status == .notFound)
            #expect(response.header("x-error") == "there goes my error")
            #expect(response.header("content-type") == "application/json")
            #expect(response.text == #"{"detail":"Item not found"}"#)
            #expect(try await client.get("/http-error-default").text == #"{"detail":"I'm a Teapot"}"#)
            #expect(try await client.get("/http-error-object").text == #"{"detail":{"code":7,"reasons":["a","b"]}}"#)
            let noContent = try await client.get("/http-error-204")
            #expect(noContent.status == .noContent)
            #expect(noContent.header("x-a") == "b")
            #expect(noContent.header("content-type") == nil)
            #expect(noContent.body.readableBytes == 0)
        }
    }

    @Test("an unhandled error is logged with method and path and answered 500 as Starlette does")
    func internalServerError() async throws {
        let logs = CapturingLogHandler()
        let app = self.app()
        let logged = makeApp(logger: .capturing(logs))
        logged.get("/crash") { () async throws -> String in throw CocoaError(.fileNoSuchFile) }
        try await TestClient.run(logged) { client async throws in
            let response = try await client.get("/crash")
            #expect(response.status == .internalServerError)
            #expect(response.header("content-type") == "text/plain; charset=utf-8")
            #expect(response.header("content-length") == "21")
            #expect(response.text == "Internal Server Error")
        }
        #expect(logs.logged.contains { $0.level == .error && $0.message.hasPrefix("Unhandled error in GET /crash:") })
        try await TestClient.run(app) { client async throws in
            #expect(try await client.get("/nan").status == .internalServerError)
        }
    }

    @Test("onError answers the app's own error types")
    func customErrorHandler() async throws {
        try await TestClient.run(self.app()) { client async throws in
            let response = try await client.get("/out-of-stock")
            #expect(response.status == .conflict)
            #expect(response.text == #"{"detail":"widget is out of stock","path":"/out-of-stock"}"#)
        }
    }
}
