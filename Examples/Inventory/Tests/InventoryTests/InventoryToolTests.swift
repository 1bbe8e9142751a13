import Apus
import ApusTesting
import Foundation
import InventoryApp
import Testing

/// The inventory example checked by the tools the repository's tests use (installed by
/// `Scripts/install-test-tools.sh` at the repository's root): openapi-spec-validator on its
/// document, and Swagger UI's OAuth2 password flow in a headless Chromium.
@Suite("Inventory example checked by real tools", .serialized, .timeLimit(.minutes(3)), .enabled(if: TestTools.enabled, TestTools.skipNote))
struct InventoryToolTests {
    @Test("openapi-spec-validator accepts the inventory example's document, served by its executable")
    func validatorAcceptsDocument() async throws {
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("apus-validator-\(UUID().uuidString).sqlite")
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database.path + suffix) } }
        let (process, port) = try await TestTools.launchExample(
            "inventory", environment: ["DATABASE_PATH": database.path, "TOKEN_SECRET": "validator-secret-0123456789abcdef-0123"])
        defer { process.terminate() }
        let (status, output) = try await TestTools.run(
            TestTools.python, [TestTools.script("validate_openapi.py"), "http://127.0.0.1:\(port)/openapi.json"])
        #expect(status == 0, "\(output)")
        #expect(output.components(separatedBy: ": OK").count - 1 == 1, "\(output)")
    }

    @Test("Swagger UI's OAuth2 password flow logs in against the inventory example and calls a protected route")
    func oauth2PasswordFlowInBrowser() async throws {
        let directory = try InventoryExampleTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = makeInventoryApp(settings: try InventoryExampleTests.settings(directory: directory))
        try TestTools.serveAssets(app)
        try await TestClient.run(app, mode: .live) { client async throws in
            let port = try #require(client.port)
            #expect(try await client.post("/users", json: #"{"username":"ann","password":"correct horse"}"#).status == .created)
            let (status, output) = try await TestTools.run(
                TestTools.python,
                [
                    TestTools.script("docs_in_browser.py"), "http://127.0.0.1:\(port)", "--chromium", TestTools.chromium,
                    "--login", "ann", "correct horse", "--try", "GET", "/users/me", "200",
                ])
            #expect(status == 0, "\(output)")
            let report = try JSONValue(parsing: String(output.drop { $0 != "{" }))
            #expect(report["authorized"] == true)
            #expect(report["tried"]?["status"] == "200")
            #expect(report["tried"]?["body"] == "{\n  \"username\": \"ann\",\n  \"full_name\": null\n}")
        }
    }
}
