import Apus
import ApusTesting
import Testing

@Suite("Routing", .timeLimit(.minutes(1)))
struct RoutingTests {
    func app() -> App {
        let app = makeApp()
        app.get("/items/{item_id}", Path<Int>("item_id")) { id async in ["item_id": id] }
        app.post("/items") { "created" }
        app.get("/users/{user_id}", Path<String>("user_id")) { id async in "user \(id)" }
        // Registered after the parameter route: still wins for /users/me.
        app.get("/users/me") { "me" }
        app.get("/files/{file_path:path}", Path<String>("file_path")) { path async in path }
        app.get("/slash/") { "slash" }
        app.get("/numbers/{n:int}", Path<Int>("n")) { n async in n }
        app.route([.PUT, .PATCH], "/both") { "both" }
        return app
    }

    @Test("a segment starting with a combining character or emoji modifier still matches (found by schemathesis)")
    func extendingScalarsAfterSlash() async throws {
        try await TestClient.run(self.app()) { client async throws in
            let modifier = try await client.get("/users/%F0%9F%8F%BB")
            #expect(modifier.status == .ok)
            #expect(modifier.text == "\"user \u{1F3FB}\"")
            let accent = try await client.get("/users/%CC%81x")
            #expect(accent.status == .ok)
            #expect(accent.text == "\"user \u{301}x\"")
            let tail = try await client.get("/files/a/%CC%81/b")
            #expect(tail.text == "\"a/\u{301}/b\"")
            let invalid = try await client.get("/numbers/%CC%81")
            #expect(invalid.status == .notFound)
        }
    }

    @Test("404 has FastAPI's body")
    func notFound() async throws {
        try await TestClient.run(self.app()) { client async throws in
            let response = try await client.get("/nowhere")
            #expect(response.status == .notFound)
            #expect(response.header("content-type") == "application/json")
            #expect(response.header("content-length") == "22")
            #expect(response.text == #"{"detail":"Not Found"}"#)
        }
    }

    @Test("405 lists the allowed methods, HEAD included for GET")
    func methodNotAllowed() async throws {
        try await TestClient.run(self.app()) { client async throws in
            let response = try await client.delete("/users/me")
            #expect(response.status == .methodNotAllowed)
            #expect(response.header("allow") == "GET, HEAD")
            #expect(response.header("content-type") == "application/json")
            #expect(response.text == #"{"detail":"Method Not Allowed"}"#)
        }
    }

    @Test("307 to the path with the trailing slash toggled, query kept")
    func trailingSlashRedirect() async throws {
        try await TestClient.run(self.app()) { client async throws in
            let added = try await client.get("/slash?x=1", headers: ["host": "h:8000"])
            #expect(added.status == .temporaryRedirect)
            #expect(added.header("location") == "http://h:8000/slash/?x=1")
            #expect(added.header("content-length") == "0")
            #expect(added.header("content-type") == nil)
            #expect(added.body.readableBytes == 0)

            // Redirects even when the other path only has another method.
            let removed = try await client.request(.DELETE, "/items/", headers: ["host": "h"])
            #expect(removed.status == .temporaryRedirect)
            #expect(removed.header("location") == "http://h/items")
        }
    }

    @Test("a literal segment beats a parameter whatever the registration order")
    func staticBeatsParameter() async throws {
        try await TestClient.run(self.app()) { client async throws in
            #expect(try await client.get("/users/me").text == #""me""#)
            #expect(try await client.get("/users/42").text == #""user 42""#)
        }
    }

    @Test("{name:path} captures the rest of the path, slashes and percent-decoding included")
    func pathTail() async throws {
        try await TestClient.run(self.app()) { client async throws in
            #expect(try await client.get("/files/a/b/c.txt").text == #""a/b/c.txt""#)
            let response = try await client.get("/files/a/b%20c/d.txt")
            #expect(response.status == .ok)
            #expect(response.text == #""a/b c/d.txt""#)
        }
    }

    @Test("%2F is a slash before matching: a single segment parameter does not match it")
    func encodedSlash() async throws {
        try await TestClient.run(self.app()) { client async throws in
            #expect(try await client.get("/users/a%2Fb").status == .notFound)
            #expect(try await client.get("/files/a%2Fb").text == #""a/b""#)
        }
    }

    @Test("a convertor mismatch is 404, not 422")
    func convertorMismatch() async throws {
        try await TestClient.run(self.app()) { client async throws in
            #expect(try await client.get("/numbers/12").text == "12")
            let response = try await client.get("/numbers/x1")
            #expect(response.status == .notFound)
            #expect(response.text == #"{"detail":"Not Found"}"#)
        }
    }

    @Test("HEAD is answered for every GET route, with the GET's headers and no body")
    func headForGet() async throws {
        try await TestClient.run(self.app()) { client async throws in
            let response = try await client.head("/items/5")
            #expect(response.status == .ok)
            #expect(response.header("content-type") == "application/json")
            #expect(response.header("content-length") == "13")
            #expect(response.body.readableBytes == 0)
        }
    }

    @Test("a multi-method route answers each of its methods")
    func multiMethod() async throws {
        try await TestClient.run(self.app()) { client async throws in
            #expect(try await client.request(.PUT, "/both").text == #""both""#)
            #expect(try await client.request(.PATCH, "/both").text == #""both""#)
            let response = try await client.get("/both")
            #expect(response.status == .methodNotAllowed)
            #expect(response.header("allow") == "PUT, PATCH")
        }
    }

    @Test("an included router adds its prefix")
    func includedRouter() async throws {
        let app = makeApp()
        let users = Router(prefix: "/api/users", tags: ["users"])
        users.get("/{id}", Path<Int>("id")) { id async in ["id": id] }
        app.include(users)
        try await TestClient.run(app) { client async throws in
            let response = try await client.get("/api/users/3")
            #expect(response.status == .ok)
            #expect(response.text == #"{"id":3}"#)
            #expect(try await client.get("/users/3").status == .notFound)
        }
    }

    @Test("a template whose names do not match its Path parameters fails, naming the route")
    func templateMismatch() async throws {
        let app = makeApp()
        app.get("/items/{item_id}", Path<Int>("id")) { id async in id }
        await #expect {
            try await TestClient.run(app) { _ in }
        } throws: { error in
            "\(error)" == #"route GET /items/{item_id}: Path parameter "id" has no {id} in the path template"#
        }

        let missing = makeApp()
        missing.get("/items/{item_id}") { "x" }
        await #expect {
            try await TestClient.run(missing) { _ in }
        } throws: { error in
            "\(error)" == #"route GET /items/{item_id}: {item_id} in the path template has no Path<...>("item_id") parameter"#
        }
    }

    @Test("a duplicate method and path fails, naming the route")
    func duplicateRoute() async throws {
        let app = makeApp()
        app.get("/a") { "one" }
        app.get("/a") { "two" }
        await #expect {
            try await TestClient.run(app) { _ in }
        } throws: { error in
            "\(error)" == "duplicate route GET /a: a route with this method and path already exists"
        }
    }
}
