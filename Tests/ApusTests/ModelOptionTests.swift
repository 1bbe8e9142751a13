import Apus
import ApusTesting
import Testing

/// The models of FastAPI's twin (`Tests/Conformance/fastapi_models.py`, second part), with
/// the twin's names (schemas `Order`, `OrderTag`).
enum ModelOptions {
    @Model(extra: .forbid)
    struct OrderTag {
        @Field(.maxLength(5)) var label: String
        var weight: Int = 1
    }

    @Model(description: "An order.", extra: .forbid)
    struct Order {
        var item: String
        @Field(.greaterThanOrEqual(1)) var quantity: Int = 1
        var tags: [OrderTag] = []
    }

    @Model(extra: .forbid, keys: .snakeCase)
    struct Filters {
        @Field(.greaterThan(0), .lessThanOrEqual(100)) var limit: Int = 100
        @Field(.greaterThanOrEqual(0)) var offset: Int = 0
        var orderBy: String = "created_at"
        var tags: [String] = []
    }

    @Model(keys: .snakeCase)
    struct CommonHeaders {
        var host: String
        var xTag: [String] = []
        var saveData: Bool = false
    }

    @Model(extra: .forbid, keys: .snakeCase)
    struct Tracking {
        var sessionID: String
        var adsID: String?
    }

    /// A generic model: its fields are described by a computed `modelFields` (Swift has no stored statics there).
    @Model
    struct Page<Item: Codable & Sendable> {
        var items: [Item]
        var total: Int = 0
    }

    static func makeApp() -> App {
        let app = App(title: "Model options")
        app.post("/pages", Body<Page<OrderTag>>()) { page async in page }
        app.post("/orders", Body<Order>()) { order async in order }
        app.get("/items", Query<Filters>()) { filters async in filters }
        app.get("/headers", Header<CommonHeaders>()) { headers async in headers }
        app.get("/cookies", Cookie<Tracking>()) { tracking async in tracking }
        return app
    }
}

/// `extra: .forbid` and parameter models, compared with FastAPI 0.165's answers for the twin.
@Suite("@Model options and parameter models")
struct ModelOptionTests {
    @Test("extra: .forbid answers each unknown key at its loc, nested ones with their model's errors, as FastAPI")
    func extraForbidden() async throws {
        try await TestClient.run(ModelOptions.makeApp()) { client in
            let good = try await client.post("/orders", json: #"{"item":"pen"}"#)
            #expect(good.status == .ok)
            #expect(good.headers == ["content-type": "application/json", "content-length": "37"])
            #expect(good.text == #"{"item":"pen","quantity":1,"tags":[]}"#)
            let bad = try await client.post(
                "/orders", json: #"{"item":"pen","colour":"red","quantity":0,"tags":[{"label":"toolong","x":1}],"z":null}"#)
            #expect(bad.status == .unprocessableEntity)
            #expect(
                bad.text
                    == #"{"detail":[{"type":"greater_than_equal","loc":["body","quantity"],"msg":"Input should be greater than or equal to 1","input":0,"ctx":{"ge":1}},{"type":"string_too_long","loc":["body","tags",0,"label"],"msg":"String should have at most 5 characters","input":"toolong","ctx":{"max_length":5}},{"type":"extra_forbidden","loc":["body","tags",0,"x"],"msg":"Extra inputs are not permitted","input":1},{"type":"extra_forbidden","loc":["body","colour"],"msg":"Extra inputs are not permitted","input":"red"},{"type":"extra_forbidden","loc":["body","z"],"msg":"Extra inputs are not permitted","input":null}]}"#
            )
        }
    }

    @Test("a generic @Model decodes with its defaults and its items' constraints, and has its own component")
    func genericModel() async throws {
        try await TestClient.run(ModelOptions.makeApp()) { client in
            let page = try await client.post("/pages", json: #"{"items":[{"label":"a"}]}"#)
            #expect(page.status == .ok)
            #expect(page.text == #"{"items":[{"label":"a","weight":1}],"total":0}"#)
            let bad = try await client.post("/pages", json: #"{"items":[{"label":"toolong"}],"total":"x"}"#)
            #expect(
                bad.text
                    == #"{"detail":[{"type":"string_too_long","loc":["body","items",0,"label"],"msg":"String should have at most 5 characters","input":"toolong","ctx":{"max_length":5}},{"type":"int_parsing","loc":["body","total"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"x"}]}"#
            )
        }
        let schemas = try ModelOptions.makeApp().openAPIDocument()["components"]?["schemas"]
        #expect(schemas?["Page_OrderTag_"]?["required"] == ["items"])
    }

    @Test("Query<Filters>(): each field a query parameter with its default and constraints; unknown keys forbidden")
    func queryModel() async throws {
        try await TestClient.run(ModelOptions.makeApp()) { client in
            let defaults = try await client.get("/items")
            #expect(defaults.status == .ok)
            #expect(defaults.text == #"{"limit":100,"offset":0,"order_by":"created_at","tags":[]}"#)
            let given = try await client.get("/items?limit=5&tags=a&tags=b&order_by=name")
            #expect(given.text == #"{"limit":5,"offset":0,"order_by":"name","tags":["a","b"]}"#)
            let bad = try await client.get("/items?limit=0&offset=x&tool=plumbus")
            #expect(bad.status == .unprocessableEntity)
            #expect(
                bad.text
                    == #"{"detail":[{"type":"greater_than","loc":["query","limit"],"msg":"Input should be greater than 0","input":"0","ctx":{"gt":0}},{"type":"int_parsing","loc":["query","offset"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"x"},{"type":"extra_forbidden","loc":["query","tool"],"msg":"Extra inputs are not permitted","input":"plumbus"}]}"#
            )
        }
    }

    @Test("Header<CommonHeaders>() and Cookie<Tracking>(): fields by header and cookie name, errors as FastAPI's")
    func headerAndCookieModels() async throws {
        try await TestClient.run(ModelOptions.makeApp()) { client in
            let headers = try await client.get("/headers", headers: ["X-Tag": "a", "Save-Data": "yes"])
            #expect(headers.status == .ok)
            #expect(headers.text == #"{"host":"testserver","x_tag":["a"],"save_data":true}"#)
            let badHeader = try await client.get("/headers", headers: ["save-data": "maybe"])
            #expect(
                badHeader.text
                    == #"{"detail":[{"type":"bool_parsing","loc":["header","save-data"],"msg":"Input should be a valid boolean, unable to interpret input","input":"maybe"}]}"#
            )
            let cookies = try await client.get("/cookies", headers: ["cookie": "session_id=s1"])
            #expect(cookies.text == #"{"session_id":"s1","ads_id":null}"#)
            let badCookies = try await client.get("/cookies", headers: ["cookie": "ads_id=a; other=o"])
            #expect(badCookies.status == .unprocessableEntity)
            #expect(
                badCookies.text
                    == #"{"detail":[{"type":"missing","loc":["cookie","session_id"],"msg":"Field required","input":{"ads_id":"a","other":"o"}},{"type":"extra_forbidden","loc":["cookie","other"],"msg":"Extra inputs are not permitted","input":"o"}]}"#
            )
        }
    }

    /// FastAPI 0.165's document for the twin: the two forbidding schemas and each model's
    /// fields as parameters.
    static let fastAPIOrder =
        ##"{"properties": {"item": {"type": "string", "title": "Item"}, "quantity": {"type": "integer", "minimum": 1.0, "title": "Quantity", "default": 1}, "tags": {"items": {"$ref": "#/components/schemas/OrderTag"}, "type": "array", "title": "Tags", "default": []}}, "additionalProperties": false, "type": "object", "required": ["item"], "title": "Order", "description": "An order."}"##
    static let fastAPITag =
        #"{"properties": {"label": {"type": "string", "maxLength": 5, "title": "Label"}, "weight": {"type": "integer", "title": "Weight", "default": 1}}, "additionalProperties": false, "type": "object", "required": ["label"], "title": "OrderTag"}"#
    static let fastAPIParameters = [
        "/items":
            #"[{"name": "limit", "in": "query", "required": false, "schema": {"type": "integer", "maximum": 100, "exclusiveMinimum": 0, "default": 100, "title": "Limit"}}, {"name": "offset", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 0, "default": 0, "title": "Offset"}}, {"name": "order_by", "in": "query", "required": false, "schema": {"type": "string", "default": "created_at", "title": "Order By"}}, {"name": "tags", "in": "query", "required": false, "schema": {"type": "array", "items": {"type": "string"}, "default": [], "title": "Tags"}}]"#,
        "/headers":
            #"[{"name": "host", "in": "header", "required": true, "schema": {"type": "string", "title": "Host"}}, {"name": "x-tag", "in": "header", "required": false, "schema": {"type": "array", "items": {"type": "string"}, "default": [], "title": "X Tag"}}, {"name": "save-data", "in": "header", "required": false, "schema": {"type": "boolean", "default": false, "title": "Save Data"}}]"#,
        "/cookies":
            #"[{"name": "session_id", "in": "cookie", "required": true, "schema": {"type": "string", "title": "Session Id"}}, {"name": "ads_id", "in": "cookie", "required": false, "schema": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Ads Id"}}]"#,
    ]

    @Test("the schemas say additionalProperties: false and the models' fields are parameters, as in FastAPI's document")
    func document() throws {
        let document = JSONComparison.removingInt64Format(try ModelOptions.makeApp().openAPIDocument())
        let schemas = try #require(document["components"]?["schemas"])
        #expect(JSONComparison.differences(expected: try JSONValue(parsing: Self.fastAPIOrder), actual: schemas["Order"] ?? .null) == [])
        #expect(JSONComparison.differences(expected: try JSONValue(parsing: Self.fastAPITag), actual: schemas["OrderTag"] ?? .null) == [])
        for (path, expected) in Self.fastAPIParameters {
            let parameters = document["paths"]?[path]?["get"]?["parameters"] ?? .null
            #expect(JSONComparison.differences(expected: try JSONValue(parsing: expected), actual: parameters) == [], "\(path)")
        }
    }
}
