import Apus
import ApusTesting
import Testing

@Model
struct Dimensions {
    var width: Int = 1
    var depth: Int? = nil
}

@Model
struct Product {
    var name: String
    var price: Double = 10.5
    var note: String? = nil
    var tags: [String] = []
    var size: Dimensions = Dimensions()
    var extras: [String: Int?] = [:]
}

/// `responseExclude` and `responseFields`, compared with FastAPI 0.165's answers for the twin
/// (`Tests/Conformance/fastapi_models.py`, third part: `response_model_exclude_none`, `_unset`,
/// `_defaults`, `response_model_include`, `response_model_exclude`).
@Suite("Response shaping")
struct ResponseShapingTests {
    static func makeApp() -> App {
        let app = App(title: "Shaping")
        app.post("/products/none", responseExclude: [.nil], Body<Product>()) { product async in product }
        app.post("/products/unset", responseExclude: [.unset], Body<Product>()) { product async in product }
        app.post("/products/defaults", responseExclude: [.defaults], Body<Product>()) { product async in product }
        app.post("/products/include", responseFields: .only(["name", "price"]), Body<Product>()) { product async in product }
        app.post("/products/exclude", responseExclude: [.nil], responseFields: .excluding(["tags", "extras"]), Body<Product>()) {
            product async in product
        }
        app.get("/products/built", responseExclude: [.unset]) { Product(name: "Built") }
        app.get("/products/list", responseExclude: [.defaults]) { [Product(name: "A", price: 2), Product(name: "B")] }
        return app
    }

    static let body = #"{"name":"Lamp","note":null,"tags":["a"],"size":{"width":1,"depth":null},"extras":{"a":null,"b":2}}"#

    @Test("exclude nil, unset and defaults, include and exclude field sets: FastAPI's answers")
    func asFastAPI() async throws {
        let expected = [
            "none": #"{"name":"Lamp","price":10.5,"tags":["a"],"size":{"width":1},"extras":{"a":null,"b":2}}"#,
            "unset": #"{"name":"Lamp","note":null,"tags":["a"],"size":{"width":1,"depth":null},"extras":{"a":null,"b":2}}"#,
            "defaults": #"{"name":"Lamp","tags":["a"],"extras":{"a":null,"b":2}}"#,
            "include": #"{"name":"Lamp","price":10.5}"#,
            "exclude": #"{"name":"Lamp","price":10.5,"size":{"width":1}}"#,
        ]
        try await TestClient.run(Self.makeApp()) { client in
            for (route, answer) in expected {
                let response = try await client.post("/products/\(route)", json: Self.body)
                #expect(response.status == .ok)
                #expect(response.headers == ["content-type": "application/json", "content-length": "\(answer.utf8.count)"])
                #expect(response.text == answer, "\(route)")
            }
            let nestedUnset = try await client.post("/products/unset", json: #"{"name":"Lamp","size":{"depth":3}}"#)
            #expect(nestedUnset.text == #"{"name":"Lamp","size":{"depth":3}}"#)
            let nestedDefaults = try await client.post("/products/defaults", json: #"{"name":"Lamp","price":10.5,"size":{"width":2}}"#)
            #expect(nestedDefaults.text == #"{"name":"Lamp","size":{"width":2}}"#)
        }
    }

    @Test("a value made in code has every field set; lists of models are shaped item by item")
    func madeInCode() async throws {
        try await TestClient.run(Self.makeApp()) { client in
            // FastAPI answers {"name":"Built"} here (pydantic knows the constructor's arguments; Swift cannot).
            let built = try await client.get("/products/built")
            #expect(built.text == #"{"name":"Built","price":10.5,"note":null,"tags":[],"size":{"width":1,"depth":null},"extras":{}}"#)
            let list = try await client.get("/products/list")
            #expect(list.text == #"[{"name":"A","price":2.0},{"name":"B"}]"#)
        }
    }

    @Test("the OpenAPI schema of a shaped route is the model's, unchanged")
    func schemaUnchanged() throws {
        let document = try Self.makeApp().openAPIDocument()
        let response = document["paths"]?["/products/include"]?["post"]?["responses"]?["200"]?["content"]?["application/json"]?["schema"]
        #expect(response == ["$ref": "#/components/schemas/Product"])
    }
}

/// A stored user: more than the API shows.
struct StoredUser: Codable, Sendable {
    var username: String?
    var full_name: String?
    var password_hash: String
}

/// `responseModel` (FastAPI's `response_model`), compared with FastAPI 0.165's answers for
/// `Tests/Conformance/fastapi_response_model.py`.
@Suite("Response model")
struct ResponseModelTests {
    @Test("the output is converted to the response model (fields it lacks are left out) and documented as it")
    func converted() async throws {
        let handler = CapturingLogHandler()
        let app = makeApp(logger: .capturing(handler))
        app.get("/users/me", responseModel: UserOutWire.self) { StoredUser(username: "ann", full_name: "Ann", password_hash: "secret") }
        app.get("/users/broken", responseModel: UserOutWire.self) { StoredUser(username: nil, full_name: "No Name", password_hash: "x") }
        try await TestClient.run(app) { client in
            let me = try await client.get("/users/me")
            #expect(me.status == .ok)
            #expect(me.headers == ["content-type": "application/json", "content-length": "36"])
            #expect(me.text == #"{"username":"ann","full_name":"Ann"}"#)
            let broken = try await client.get("/users/broken")
            #expect(broken.status == .internalServerError)
            #expect(broken.text == "Internal Server Error")
        }
        #expect(handler.logged.contains { $0.message.contains("is not a valid UserOutWire (its responseModel)") })
        let document = try app.openAPIDocument()
        #expect(
            document["paths"]?["/users/me"]?["get"]?["responses"]?["200"]
                == ["description": "Successful Response", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/UserOutWire"]]]])
    }
}

@Model(keys: .snakeCase)
struct UserOutWire {
    var username: String
    var fullName: String? = nil
}
