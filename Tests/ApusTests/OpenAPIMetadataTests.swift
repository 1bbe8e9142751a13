import Apus
import ApusTesting
import Foundation
import Testing

// Golden/openapi_metadata.json is the document FastAPI 0.165 generates for the app of
// Tests/Conformance/fastapi_openapi_metadata.py; the app here sets the same metadata.

@Suite("OpenAPI document metadata (golden file recorded from FastAPI 0.165)", .timeLimit(.minutes(1)))
struct OpenAPIMetadataTests {
    static func app() -> App {
        let app = App(title: "Inventory", version: "2.0.0", summary: "Tools and their stock", description: "Everything about **tools**.")
        app.termsOfService = "https://example.com/terms/"
        app.contact = APIContact(name: "Tool Desk", url: "https://example.com/contact/", email: "desk@example.com")
        app.license = APILicense(name: "Apache 2.0", identifier: "Apache-2.0")
        app.openAPITags = [
            APITag(
                name: "items", description: "Operations on **items**.",
                externalDocs: APIExternalDocs(url: "https://example.com/items/", description: "Items explained")),
            APITag(name: "users", description: "Who may borrow them."),
        ]
        app.externalDocs = APIExternalDocs(url: "https://example.com/handbook/", description: "The handbook")
        app.servers = [OpenAPIServer(url: "https://api.example.com", description: "Production")]
        app.get("/items", tags: ["items"], name: "list_items") { ["hammer"] }
        return app
    }

    @Test("terms, contact, license, tags with external docs and the document's external docs equal FastAPI's")
    func equalsFastAPI() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/openapi_metadata.json")
        let golden = try JSONValue(parsing: Array(try Data(contentsOf: url)))
        let document = try Self.app().openAPIDocument()
        let differences = JSONComparison.differences(expected: golden, actual: document)
        #expect(differences.isEmpty, "\(differences.count) differences:\n\(differences.joined(separator: "\n"))")
        // The tags keep their order (the docs show them so).
        guard case .array(let tags)? = document["tags"] else {
            Issue.record("no tags in \(document)")
            return
        }
        #expect(tags.map { $0["name"] } == ["items", "users"])
    }

    @Test("a unique-id function names operations, embedded-body components and response titles as FastAPI's; an explicit id wins")
    func uniqueIDFunction() throws {
        struct Item: Codable, Sendable { var name: String }
        let app = App(title: "Inventory")
        app.generateUniqueID = { route in "\(route.tags.first ?? "default")-\(route.name)" }
        app.get("/items", tags: ["items"], name: "list_items") { ["hammer"] }
        app.post("/items", tags: ["items"], name: "create_item", Body<Item>("item"), Body<String>("note")) { item, _ in item }
        app.get("/users/{user_id}", tags: ["users"], name: "read_user", operationID: "fetchUser", Path<Int>("user_id")) { id in
            ["user_id": id]
        }
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/openapi_unique_id.json")
        let golden = try JSONValue(parsing: Array(try Data(contentsOf: url)))
        let document = JSONComparison.removingInt64Format(try app.openAPIDocument())
        let differences = JSONComparison.differences(expected: golden, actual: document)
        #expect(differences.isEmpty, "\(differences.count) differences:\n\(differences.joined(separator: "\n"))")
    }

    @Test("the served /openapi.json carries them too")
    func served() async throws {
        try await TestClient.run(Self.app()) { client async throws in
            let response = try await client.get("/openapi.json")
            #expect(response.status == .ok)
            let document = try JSONValue(parsing: Array(response.text.utf8))
            #expect(document["info"]?["license"]?["identifier"] == "Apache-2.0")
            #expect(document["info"]?["termsOfService"] == "https://example.com/terms/")
            #expect(document["externalDocs"]?["url"] == "https://example.com/handbook/")
        }
    }
}
