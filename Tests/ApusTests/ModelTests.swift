import Apus
import ApusTesting
import Testing

/// The model of `/tmp`-free FastAPI twin below, declared once with `@Model`.
@Model(description: "An item for sale.")
struct SaleItem {
    @Field(description: "Shown to customers", .minLength(1), .maxLength(80)) var name: String
    @Field(.greaterThan(0), examples: [9.99]) var price: Double
    var tags: [String] = []
    var description: String? = nil
    @Field(alias: "item-id") var itemID: Int
}

@Model(keys: .snakeCase)
struct Shipment {
    var orderID: Int
    var trackingCode: String? = nil
}

/// `@Model` bodies over HTTP, compared with FastAPI 0.165's answers for the twin model
/// (pydantic: `name: str = Field(description=..., min_length=1, max_length=80)`,
/// `price: float = Field(gt=0, examples=[9.99])`, `tags: list[str] = []`,
/// `description: Optional[str] = None`, `item_id: int = Field(alias="item-id")`).
@Suite("@Model bodies")
struct ModelTests {
    static func makeApp() -> App {
        let app = App(title: "Models")
        app.post("/items", Body<SaleItem>()) { item async in item }
        app.post("/shipments", Body<Shipment>()) { shipment async in shipment }
        return app
    }

    @Test("absent fields take their defaults, the alias names the field on the wire")
    func defaultsAndAlias() async throws {
        try await TestClient.run(Self.makeApp()) { client in
            let response = try await client.post("/items", json: #"{"name":"Lamp","price":9.5,"item-id":7}"#)
            #expect(response.status == .ok)
            #expect(response.headers == ["content-type": "application/json", "content-length": "68"])
            #expect(response.text == #"{"name":"Lamp","price":9.5,"tags":[],"description":null,"item-id":7}"#)
            let shipment = try await client.post("/shipments", json: #"{"order_id":3}"#)
            #expect(shipment.text == #"{"order_id":3,"tracking_code":null}"#)
        }
    }

    @Test("every bad field is one entry of the 422, in field order, as FastAPI answers")
    func everyErrorCollected() async throws {
        try await TestClient.run(Self.makeApp()) { client in
            let bad = try await client.post("/items", json: #"{"name":"","price":0,"item-id":"x","tags":"no"}"#)
            #expect(bad.status == .unprocessableEntity)
            #expect(
                bad.text
                    == #"{"detail":[{"type":"string_too_short","loc":["body","name"],"msg":"String should have at least 1 character","input":"","ctx":{"min_length":1}},{"type":"greater_than","loc":["body","price"],"msg":"Input should be greater than 0","input":0,"ctx":{"gt":0.0}},{"type":"list_type","loc":["body","tags"],"msg":"Input should be a valid list","input":"no"},{"type":"int_parsing","loc":["body","item-id"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"x"}]}"#
            )
            let missing = try await client.post("/items", json: #"{"price":"cheap"}"#)
            #expect(
                missing.text
                    == #"{"detail":[{"type":"missing","loc":["body","name"],"msg":"Field required","input":{"price":"cheap"}},{"type":"float_parsing","loc":["body","price"],"msg":"Input should be a valid number, unable to parse string as a number","input":"cheap"},{"type":"missing","loc":["body","item-id"],"msg":"Field required","input":{"price":"cheap"}}]}"#
            )
        }
    }

    /// FastAPI 0.165's schema of the twin model (its title is the class name, "Item" there).
    static let fastAPISchema =
        #"{"properties":{"name":{"type":"string","maxLength":80,"minLength":1,"title":"Name","description":"Shown to customers"},"price":{"type":"number","exclusiveMinimum":0.0,"title":"Price","examples":[9.99]},"tags":{"items":{"type":"string"},"type":"array","title":"Tags","default":[]},"description":{"anyOf":[{"type":"string"},{"type":"null"}],"title":"Description"},"item-id":{"type":"integer","title":"Item-Id"}},"type":"object","required":["name","price","item-id"],"title":"Item","description":"An item for sale."}"#

    @Test("the schema has the model's description, the fields' docs, constraints and defaults, as FastAPI's")
    func schema() throws {
        let document = try Self.makeApp().openAPIDocument()
        var schema = try #require(document["components"]?["schemas"]?["SaleItem"])
        // The one deliberate difference of every Apus schema: `Int` states its range (`format: int64`).
        schema = JSONComparison.removingInt64Format(schema)
        schema.set("title", "Item")
        #expect(JSONComparison.differences(expected: try JSONValue(parsing: Self.fastAPISchema), actual: schema) == [])
    }
}
