import Apus
import ApusTesting
import Foundation
import Testing

// Golden/openapi.json is the document FastAPI 0.165 generates for the app in
// Tests/Conformance/fastapi_openapi.py; `OpenAPIConformance.app()` declares the same routes in Apus.

/// The models and routes of the OpenAPI conformance app.
enum OpenAPIConformance {
    enum ModelName: String, Codable, CaseIterable, ParameterValue {
        case alexnet, resnet, lenet
    }

    struct Image: Codable, Sendable {
        var url: String
        var name: String
    }

    struct Item: Codable, Sendable {
        var name: String
        var description: String?
        var price: Double
        var tax: Double?
        var tags: [String]
        var image: Image?
        var images: [Image]
        var attributes: [String: Int]
        var id: UUID
        var created: Date
        var kind: ModelName
    }

    struct User: Codable, Sendable {
        var username: String
        var full_name: String?
    }

    struct Message: Codable, Sendable {
        var detail: String
    }

    struct Offer: Codable, Sendable, DocumentedModel {
        var title: String
        var discount: Double
        var quantity: Int
        var items: [Item]

        static let schemaDescription: String? = "A discounted bundle of items."
        static let fieldSchemas: [String: FieldSchema] = [
            "title": FieldSchema(description: "Shown to customers", .maxLength(80)),
            "discount": FieldSchema(.greaterThan(0), .lessThanOrEqual(0.5)),
            "quantity": FieldSchema(default: 1),
        ]

        enum CodingKeys: String, CodingKey { case title, discount, quantity, items }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.title = try container.decode(String.self, forKey: .title)
            self.discount = try container.decode(Double.self, forKey: .discount)
            self.quantity = try container.decodeIfPresent(Int.self, forKey: .quantity) ?? 1
            self.items = try container.decode([Item].self, forKey: .items)
        }
    }

    static let item = Item(
        name: "Widget", description: nil, price: 2, tax: nil, tags: [], image: nil, images: [], attributes: [:],
        id: UUID(uuidString: "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11")!, created: Date(timeIntervalSince1970: 0), kind: .lenet)

    static func app() -> App {
        let app = App(
            title: "Conformance", version: "1.2.3", summary: "Every kind of route",
            description: "The routes Apus documents as FastAPI does.")
        app.get("/", name: "root") { ["hello": "world"] }
        app.get(
            "/items/{item_id}", tags: ["items"], name: "read_item", Path<Int>("item_id", .greaterThan(0)),
            Query<String?>("q", .maxLength(50)), Query<Int>("limit", default: 10, .greaterThanOrEqual(1), .lessThanOrEqual(100)),
            Query<[String]>("tag", default: []), Query<Double>("price", default: 1.5, .greaterThan(0)),
            Query<String?>("code", .pattern("^[a-z]+$")), Query<Date?>("since"), Query<Bool>("active", default: true),
            Header<String?>("user_agent"), Header<[String]?>("x_token"), Cookie<String>("session", default: "")
        ) { _, _, _, _, _, _, _, _, _, _, _ in item }
        app.get(
            "/search", tags: ["items"], name: "search",
            Query<String>("text", alias: "search-text", .minLength(2)).documented(description: "Words to look for"),
            Query<Int?>("old").documented(deprecated: true), Query<Int?>("page", default: 1)
        ) { _, _, _ in [item] }
        app.post(
            "/items", status: .created, tags: ["items"], name: "create_item", summary: "Create an item",
            description: "Stores an item and returns it.", responseDescription: "The stored item",
            responses: [409: APIResponse("An item with this name exists", model: Message.self), 400: APIResponse()],
            Body<Item>()
        ) { item in item }
        app.put(
            "/items/{item_id}", tags: ["items"], name: "update_item", Path<Int>("item_id"), Body<Item>("item"),
            Body<User>("user"), Body<Int>("importance")
        ) { id, _, _, importance in ["id": id, "importance": importance] }
        app.post("/embedded", name: "embedded", Body<Item>("item", embed: true)) { item in item }
        app.post("/scalar", name: "scalar_body", Body<Int>("n")) { n in n }
        app.post("/maybe", name: "maybe", Body<Item?>("item")) { item in Message(detail: item?.name ?? "none") }
        app.post("/bulk", name: "bulk", Body<[Item]>("items")) { items in items }
        app.post("/offers", name: "create_offer", operationID: "make_offer", Body<Offer>()) { offer in offer }
        app.get("/models/{model_name}", name: "get_model", Path<ModelName>("model_name")) { model in
            ["model_name": model.rawValue]
        }
        app.get("/files/{file_id}", name: "get_file", Path<UUID>("file_id")) { id -> JSONValue in
            ["file_id": .string(id.uuidString)]
        }
        app.get("/hello", name: "hello") { PlainText("Hello") }
        app.get("/page", name: "page") { HTML("<p>Hi</p>") }
        app.get("/old", name: "old") { Redirect(to: "/") }
        app.delete("/items/{item_id}", status: .noContent, tags: ["items"], name: "delete_item", Path<Int>("item_id")) { _ in }
        app.get("/legacy", name: "legacy", deprecated: true) { Message(detail: "old") }
        app.get("/hidden", name: "hidden", includeInSchema: false) { Message(detail: "hidden") }
        let users = Router(prefix: "/users", tags: ["users"], responses: [404: APIResponse("Not found")])
        users.get("/", name: "list_users", Query<Int>("limit", default: 10)) { _ in [User(username: "ann")] }
        users.get("/{user_id}", name: "read_user", Path<UUID>("user_id")) { _ in User(username: "ann") }
        app.include(users)
        return app
    }

    static func golden() throws -> JSONValue {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/openapi.json")
        return try JSONValue(parsing: Array(try Data(contentsOf: url)))
    }
}

@Suite("OpenAPI document", .timeLimit(.minutes(1)))
struct OpenAPIConformanceTests {
    @Test("the document equals FastAPI's for the same routes, ignoring key order")
    func equalsFastAPI() throws {
        // The one deliberate difference: Apus states the range of Swift's `Int` (`format: int64`),
        // where Python's unbounded `int` has none. Removed here before comparing.
        let document = JSONComparison.removingInt64Format(try OpenAPIConformance.app().openAPIDocument())
        let differences = JSONComparison.differences(expected: try OpenAPIConformance.golden(), actual: document)
        #expect(differences.isEmpty, "\(differences.count) differences:\n\(differences.joined(separator: "\n"))")
    }

    @Test("paths appear in registration order; hidden routes and the docs routes are absent")
    func pathOrder() throws {
        let document = try OpenAPIConformance.app().openAPIDocument()
        guard case .object(let paths)? = document["paths"] else {
            Issue.record("no paths")
            return
        }
        #expect(
            paths.map(\.0) == [
                "/", "/items/{item_id}", "/search", "/items", "/embedded", "/scalar", "/maybe", "/bulk", "/offers",
                "/models/{model_name}", "/files/{file_id}", "/hello", "/page", "/old", "/legacy", "/users/", "/users/{user_id}",
            ])
        guard case .object(let operations)? = document["paths"]?["/items/{item_id}"] else {
            Issue.record("no /items/{item_id}")
            return
        }
        #expect(operations.map(\.0) == ["get", "put", "delete"])
    }

    @Test("GET /openapi.json serves the document")
    func served() async throws {
        let app = OpenAPIConformance.app()
        let expected = try app.openAPIDocument()
        try await TestClient.run(app) { client async throws in
            let response = try await client.get("/openapi.json")
            #expect(response.status == .ok)
            #expect(response.header("content-type") == "application/json")
            #expect(response.json == expected)
            let head = try await client.head("/openapi.json")
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
        }
    }

    @Test("the field constraints a DocumentedModel declares are enforced, with pydantic's errors (recorded from FastAPI)")
    func documentedConstraintsEnforced() async throws {
        try await TestClient.run(OpenAPIConformance.app()) { client async throws in
            let long = String(repeating: "x", count: 81)
            let first = try await client.post("/offers", json: #"{"title":"\#(long)","discount":0.9,"items":[]}"#)
            #expect(first.status == .unprocessableEntity)
            #expect(
                first.text
                    == #"{"detail":[{"type":"string_too_long","loc":["body","title"],"msg":"String should have at most 80 characters","input":"\#(long)","ctx":{"max_length":80}},{"type":"less_than_equal","loc":["body","discount"],"msg":"Input should be less than or equal to 0.5","input":0.9,"ctx":{"le":0.5}}]}"#
            )
            let second = try await client.post("/offers", json: #"{"title":"ok","discount":0,"items":[],"quantity":3}"#)
            #expect(
                second.text
                    == #"{"detail":[{"type":"greater_than","loc":["body","discount"],"msg":"Input should be greater than 0","input":0,"ctx":{"gt":0.0}}]}"#
            )
            let valid = try await client.post("/offers", json: #"{"title":"ok","discount":0.25,"items":[]}"#)
            #expect(valid.status == .ok)
            #expect(valid.text == #"{"title":"ok","discount":0.25,"quantity":1,"items":[]}"#)
        }
    }

    @Test("without a name, a route's summary and operation id come from its method and path")
    func unnamedRoutes() throws {
        let app = App()
        app.get("/items/{item_id:int}", Path<Int>("item_id")) { id in id }
        app.get("/") { "root" }
        let document = try app.openAPIDocument()
        let operation = document["paths"]?["/items/{item_id}"]?["get"]
        #expect(operation?["summary"] == "Get Items Item Id")
        #expect(operation?["operationId"] == "get_items__item_id")
        #expect(document["paths"]?["/"]?["get"]?["operationId"] == "get")
        #expect(document["components"]?["schemas"]?["HTTPValidationError"] != nil)
    }

    @Test("recursive, generic and wrapper models get components; a set is an array of unique items")
    func modelShapes() throws {
        struct Node: Codable, Sendable {
            var name: String
            var children: [Node]
            var parent: Box?
        }
        final class Box: Codable, Sendable {
            let node: String
        }
        struct Page<T: Codable & Sendable>: Codable, Sendable {
            var items: [T]
            var total: Int
        }
        struct Tags: Codable, Sendable {
            var values: Set<String>
        }
        let app = App()
        app.post("/nodes", name: "add_node", Body<Node>()) { node in node }
        app.get("/pages", name: "page") { Page<Tags>(items: [], total: 0) }
        let schemas = try app.openAPIDocument()["components"]?["schemas"]
        #expect(
            schemas?["Node"]
                == [
                    "properties": [
                        "name": ["type": "string", "title": "Name"],
                        "children": ["type": "array", "items": ["$ref": "#/components/schemas/Node"], "title": "Children"],
                        "parent": ["anyOf": [["$ref": "#/components/schemas/Box"], ["type": "null"]]],
                    ],
                    "required": ["name", "children"], "title": "Node", "type": "object",
                ])
        #expect(schemas?["Page_Tags_"]?["properties"]?["items"]?["items"] == ["$ref": "#/components/schemas/Tags"])
        #expect(
            schemas?["Tags"]?["properties"]?["values"]
                == ["type": "array", "items": ["type": "string"], "uniqueItems": true, "title": "Values"])
    }
}

/// Compares JSON documents as JSON: object key order is ignored; numbers compare by value and
/// by kind (`1` is not `1.0`: FastAPI writes a float bound as `0.0` and an integer one as `0`).
enum JSONComparison {
    static func differences(expected: JSONValue, actual: JSONValue, at path: String = "") -> [String] {
        switch (expected, actual) {
        case (.object(let expectedMembers), .object(let actualMembers)):
            var result: [String] = []
            let expectedKeys = expectedMembers.map(\.0)
            let actualKeys = actualMembers.map(\.0)
            for key in expectedKeys where !actualKeys.contains(key) {
                result.append("\(path)/\(key): missing, expected \(describe(expected[key]))")
            }
            for key in actualKeys where !expectedKeys.contains(key) {
                result.append("\(path)/\(key): unexpected \(describe(actual[key]))")
            }
            for key in expectedKeys where actualKeys.contains(key) {
                if let e = expected[key], let a = actual[key] {
                    result += differences(expected: e, actual: a, at: "\(path)/\(key)")
                }
            }
            return result
        case (.array(let expectedItems), .array(let actualItems)) where expectedItems.count == actualItems.count:
            return zip(expectedItems, actualItems).enumerated().flatMap { index, pair in
                differences(expected: pair.0, actual: pair.1, at: "\(path)/\(index)")
            }
        default:
            return expected == actual ? [] : ["\(path): expected \(describe(expected)), got \(describe(actual))"]
        }
    }

    /// `value` without the `format: int64` of integer schemas.
    static func removingInt64Format(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            let isInt64 = value["type"] == "integer" && value["format"] == "int64"
            return .object(members.filter { !(isInt64 && $0.0 == "format") }.map { ($0.0, removingInt64Format($0.1)) })
        case .array(let elements):
            return .array(elements.map(removingInt64Format))
        default:
            return value
        }
    }

    private static func describe(_ value: JSONValue?) -> String {
        guard let value else { return "nothing" }
        return value.jsonString
    }
}

@Model
struct Bounds {
    @Field(.greaterThanOrEqual(1), .multipleOf(2)) var a: Int
    @Field(.greaterThan(0), .lessThanOrEqual(1.5)) var b: Double
    @Field(.maxLength(3)) var c: String
    @Field(.maxItems(4)) var d: [Int]
}

/// Numbers in the document keep FastAPI's kind (recorded from FastAPI 0.165 by
/// `Tests/Conformance/fastapi_numbers.py`): a component's bounds are floats (`1.0`), a
/// parameter's as written (`1`, `1.5`), lengths and counts integers.
@Suite("Numbers in the OpenAPI document")
struct OpenAPINumberTests {
    static let fastAPIModel =
        #"{"a": {"type": "integer", "multipleOf": 2.0, "minimum": 1.0, "title": "A"}, "b": {"type": "number", "maximum": 1.5, "exclusiveMinimum": 0.0, "title": "B"}, "c": {"type": "string", "maxLength": 3, "title": "C"}, "d": {"items": {"type": "integer"}, "type": "array", "maxItems": 4, "title": "D"}}"#
    static let fastAPIParameters =
        #"[{"type": "integer", "multipleOf": 2, "minimum": 1, "title": "I"}, {"type": "number", "maximum": 1.5, "exclusiveMinimum": 0, "title": "F"}]"#

    @Test("bounds are floats in components and as written in parameters, integer and float told apart")
    func numberKinds() throws {
        let app = App()
        app.post(
            "/x", Body<Bounds>(), Query<Int>("i", .greaterThanOrEqual(1), .multipleOf(2)),
            Query<Double>("f", .greaterThan(0), .lessThanOrEqual(1.5))
        ) { _, _, _ async in "ok" }
        let document = JSONComparison.removingInt64Format(try app.openAPIDocument())
        let properties = document["components"]?["schemas"]?["Bounds"]?["properties"] ?? .null
        #expect(JSONComparison.differences(expected: try JSONValue(parsing: Self.fastAPIModel), actual: properties) == [])
        guard case .array(let parameters)? = document["paths"]?["/x"]?["post"]?["parameters"] else {
            Issue.record("no parameters")
            return
        }
        let schemas = JSONValue.array(parameters.compactMap { $0["schema"] })
        #expect(JSONComparison.differences(expected: try JSONValue(parsing: Self.fastAPIParameters), actual: schemas) == [])
    }
}
