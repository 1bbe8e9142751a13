import Apus
import ApusTesting
import Foundation
import GRDB
import InventoryApp
import Testing

/// The inventory example end to end over a real socket, on a real SQLite file in a temporary directory.
@Suite("Inventory example (SQLite, OAuth2 password flow, JWT)", .serialized, .timeLimit(.minutes(2)))
struct InventoryExampleTests {
    static func settings(directory: URL) throws -> InventorySettings {
        try InventorySettings(
            SettingsReader(
                arguments: ["inventory", "--database-path", directory.appendingPathComponent("inventory.sqlite").path],
                environment: ["TOKEN_SECRET": "test-secret-0123456789abcdef-0123456789", "PASSWORD_ROUNDS": "210000"]))
    }

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("apus-inventory-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test("register, log in, call protected routes with the token, 401 without; items and the audit log in SQLite")
    func endToEnd() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = makeInventoryApp(settings: try Self.settings(directory: directory))
        try await TestClient.run(app, mode: .live) { client async throws in
            let registered = try await client.post("/users", json: #"{"username":"ann","password":"correct horse","full_name":"Ann"}"#)
            #expect(registered.status == .created)
            #expect(registered.text == #"{"username":"ann","full_name":"Ann"}"#)
            let duplicate = try await client.post("/users", json: #"{"username":"ann","password":"another one"}"#)
            #expect(duplicate.status == .badRequest)
            #expect(duplicate.text == #"{"detail":"Username already registered"}"#)
            let invalid = try await client.post("/users", json: #"{"username":"A!","password":"short"}"#)
            #expect(invalid.status == .unprocessableEntity)
            #expect(invalid.text.contains(#""loc":["body","username"]"#) && invalid.text.contains(#""loc":["body","password"]"#))

            let form: HTTPHeaders = ["content-type": "application/x-www-form-urlencoded"]
            let wrong = try await client.request(.POST, "/token", headers: form, body: ByteBuffer(string: "username=ann&password=nope"))
            #expect(wrong.status == .unauthorized)
            #expect(wrong.header("www-authenticate") == "Bearer")
            #expect(wrong.text == #"{"detail":"Incorrect username or password"}"#)
            let unknown = try await client.request(.POST, "/token", headers: form, body: ByteBuffer(string: "username=bob&password=whatever"))
            #expect(unknown.status == .unauthorized)
            let login = try await client.request(
                .POST, "/token", headers: form, body: ByteBuffer(string: "username=ann&password=correct%20horse"))
            #expect(login.status == .ok)
            #expect(login.json?["token_type"] == "bearer")
            guard case .string(let token)? = login.json?["access_token"] else {
                Issue.record("no token: \(login.text)")
                return
            }
            let bearer: HTTPHeaders = ["authorization": "Bearer \(token)"]

            let anonymous = try await client.get("/users/me")
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.header("www-authenticate") == "Bearer")
            #expect(anonymous.text == #"{"detail":"Not authenticated"}"#)
            // A forgery: another user's claims with ann's signature.
            let parts = token.split(separator: ".")
            let claims = Data(#"{"sub":"admin","exp":4102444800}"#.utf8).base64EncodedString()
                .replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            let forged = try await client.get("/users/me", headers: ["authorization": "Bearer \(parts[0]).\(claims).\(parts[2])"])
            #expect(forged.status == .unauthorized)
            #expect(forged.text == #"{"detail":"Could not validate credentials"}"#)
            let me = try await client.get("/users/me", headers: bearer)
            #expect(me.status == .ok)
            #expect(me.text == #"{"username":"ann","full_name":"Ann"}"#)

            let created = try await client.post("/users/me/items", json: #"{"title":"Lamp","description":"brass"}"#, headers: bearer)
            #expect(created.status == .created)
            #expect(created.text == #"{"id":1,"title":"Lamp","description":"brass","owner":"ann"}"#)
            #expect(try await client.post("/users/me/items", json: #"{"title":"Desk"}"#, headers: bearer).status == .created)
            #expect(try await client.post("/users/me/items", json: #"{"title":"Desk"}"#).status == .unauthorized)
            let mine = try await client.get("/users/me/items?limit=1&skip=1", headers: bearer)
            #expect(mine.text == #"[{"id":2,"title":"Desk","description":null,"owner":"ann"}]"#)
            let all = try await client.get("/items")
            #expect(all.text == #"[{"id":1,"title":"Lamp","description":"brass","owner":"ann"},{"id":2,"title":"Desk","description":null,"owner":"ann"}]"#)
            let badPage = try await client.get("/items?limit=1000")
            #expect(badPage.status == .unprocessableEntity)

            // The audit records are written by background tasks after each response.
            var audit = try await client.get("/users/me/audit", headers: bearer)
            for _ in 0..<100 where audit.json?[1] == nil {
                try await Task.sleep(nanoseconds: 20_000_000)
                audit = try await client.get("/users/me/audit", headers: bearer)
            }
            #expect(audit.json?[0]?["action"] == "created item 1")
            #expect(audit.json?[1]?["action"] == "created item 2")
        }
        // Passwords are stored as PBKDF2 hashes, never as given (read with GRDB, outside the app).
        let database = try DatabaseQueue(path: directory.appendingPathComponent("inventory.sqlite").path)
        let hashes = try await database.read { db in try String.fetchAll(db, sql: "SELECT password_hash FROM user") }
        #expect(hashes.count == 1)
        #expect(hashes.allSatisfy { $0.hasPrefix("pbkdf2_sha256$210000$") && !$0.contains("correct horse") })
        try database.close()
    }

    @Test("settings: a missing or weak setting stops the example at start-up with a message naming it")
    func settingsErrors() throws {
        #expect(throws: SettingsError.self) { try InventorySettings(SettingsReader(arguments: ["inventory"], environment: [:])) }
        do {
            _ = try InventorySettings(SettingsReader(arguments: ["inventory"], environment: ["DATABASE_PATH": "/tmp/x.sqlite"]))
        } catch {
            #expect(error.description == "missing setting tokenSecret: pass --token-secret or set TOKEN_SECRET")
        }
        do {
            _ = try InventorySettings(
                SettingsReader(arguments: ["inventory"], environment: ["DATABASE_PATH": "/tmp/x.sqlite", "TOKEN_SECRET": "short"]))
        } catch {
            #expect(error.description == "malformed setting tokenSecret: use at least 32 characters")
        }
    }

    @Test("the inventory executable exits 2 with the settings error when a setting is missing")
    func executableSettingsError() async throws {
        let executable = TestTools.executable("inventory").path
        try #require(FileManager.default.isExecutableFile(atPath: executable), "build the examples first: swift build")
        let (status, output) = try await TestTools.run("/usr/bin/env", ["-i", executable], timeout: 30)
        #expect(status == 2)
        #expect(output == "inventory: missing setting databasePath: pass --database-path or set DATABASE_PATH\n")
    }
}

extension JSONValue {
    subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }
}
