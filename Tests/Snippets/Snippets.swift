// Written by Scripts/extract-snippets.py from the README and the DocC articles: do not edit.
// A snippet that stops compiling fails the build; fix it where it is written, then run the script.

import Apus
import ApusTesting
import Logging
import Synchronization
import Testing

/// README.md, Swift block 1.
enum Snippet_README_1 {
    @Model(description: "An item for sale.")
    struct Item {
        @Field(description: "Shown to customers", .minLength(1), .maxLength(80)) var name: String
        @Field(.greaterThan(0)) var price: Double
        var tags: [String] = []                              // absent -> []
    }
    @Model
    struct ItemPatch {                                       // PATCH: absent keeps, a value sets
        @Field(.minLength(1), .maxLength(80)) var name: Patchable<String>
        @Field(.greaterThan(0)) var price: Patchable<Double>
        var tags: Patchable<[String]>
    }
    struct ItemQuery: Codable, Sendable { var item_id: Int; var q: String? }
    static func run() async throws {




        let app = App(title: "Inventory", version: "1.0.0")
        let items = Mutex<[Int: Item]>([:])                  // stands for your database

        // async: runs on the event loop, must not block (FastAPI's `async def`)
        app.get("/items/{item_id}", Path<Int>("item_id", .greaterThan(0)), Query<String?>("q", .maxLength(50))) { itemID, q async in
            ItemQuery(item_id: itemID, q: q)
        }

        // sync (no `await`): runs on the blocking thread pool (FastAPI's `def`): a blocking driver is fine here
        app.post("/items", status: .created, Body<Item>()) { item in
            items.withLock { $0[$0.count + 1] = item }
            return item
        }

        app.patch("/items/{item_id}", Path<Int>("item_id"), Body<ItemPatch>()) { itemID, patch in
            try items.withLock { items in
                guard let item = items[itemID] else { throw HTTPError(.notFound, detail: "Item not found") }
                let updated = try item.applying(patch)       // RFC 7396, validated: a 422 if it is no Item
                items[itemID] = updated
                return updated
            }
        }

        try await app.run()   // 127.0.0.1:8000; --host/--port or HOST/PORT override; SIGTERM/SIGINT stop it gracefully
    }
}

/// README.md, Swift block 2.
enum Snippet_README_2 {
    static func run() async throws {
        let oauth2 = OAuth2PasswordBearer(tokenURL: "token")
        // async: checks the token without blocking; sync: a blocking database call, on the pool
        let tokenSubject = Dependency(oauth2, Shared<TokenIssuer>()) { token, issuer async throws in try await issuer.subject(of: token) }
        let session = Dependency(Shared<Database>(), setUp: { db in try db.openSession() }) { session, error in
            session.close(rollingBack: error != nil)          // teardown: after the handler, sees its error
        }
        let currentUser = Dependency(Depends(tokenSubject), Depends(session)) { name, session in try session.user(named: name) }

        app.post("/users/me/items", status: .created, Body<ItemCreate>(), Depends(currentUser), Depends(session), .backgroundTasks) {
            item, user, session, tasks in
            let saved = try session.save(item, owner: user)
            tasks.add { try audit.write("\(user.name) created \(saved.id)") }   // after the response
            return saved
        }
    }
}

/// README.md, Swift block 3.
enum Snippet_README_3 {
    static func run() async throws {
        app.addMiddleware(CORSMiddleware(allowOrigins: ["https://app.example"]))
        app.addMiddleware(GZipMiddleware())
        app.post("/files", Form<String>("note"), File<UploadFile>("file")) { note, file async throws in
            for try await chunk in file.chunks() { try await storage.append(chunk) }   // spooled to disk while it arrived
            return ["saved": file.filename ?? "upload"]
        }
        app.get("/events") { EventStream(ticker.events) }                              // server-sent events
        app.get("/export") { StreamingResponse(database.rows(), mediaType: "text/csv") } // backpressure to slow clients
        app.mount("/static", StaticFiles(directory: "public", html: true))             // ETag, 304, ranges, no traversal
    }
}

/// README.md, Swift block 4.
enum Snippet_README_4 {
    static func run() async throws {
        app.webSocket("/ws/{room}", Path<String>("room"), Query<String>("user", .minLength(1)), Depends(currentUser)) {
            ws, room, user, account in
            try await ws.accept()                                   // or ws.close(code: .policyViolation): HTTP 403
            while true {
                let text = try await ws.receiveText()               // a whole message; WebSocketDisconnect when the client leaves
                try await ws.sendJSON(Reply(room: room, user: user, text: text))   // waits while the client reads slowly
            }
        }                                                          // returning closes with 1000, throwing with 1011

        try await TestClient.run(app) { client in                  // in a test: import ApusTesting, Testing
            try await client.webSocket("/ws/lobby?user=ann") { ws in   // TestClient, like Starlette's websocket_connect
                try await ws.send(text: "hi")
                #expect(try await ws.receiveJSON()["text"] == "hi")
            }
        }
    }
}

/// Sources/Apus/Apus.docc/Apus.md, Swift block 1.
enum Snippet_Apus_1 {
    static func run() async throws {

        let app = App(title: "Inventory")
        app.get("/items/{item_id}", Path<Int>("item_id"), Query<String?>("q")) { itemID, q async in
            ["item_id": "\(itemID)", "q": q ?? ""]
        }
        try await app.run()
    }
}

/// Sources/Apus/Apus.docc/Dependencies.md, Swift block 1.
enum Snippet_Dependencies_1 {
    static func run() async throws {
        let pagination = Dependency(Query<Int>("skip", default: 0), Query<Int>("limit", default: 20, .lessThanOrEqual(100))) {
            skip, limit in Page(skip: skip, limit: limit)
        }
        app.get("/items", Depends(pagination)) { page in try store.items(page) }
    }
}

/// Sources/Apus/Apus.docc/Dependencies.md, Swift block 2.
enum Snippet_Dependencies_2 {
    static func run() async throws {
        let session = Dependency(name: "session", Shared<Database>(), setUp: { db in try db.openSession() }) { session, error in
            if error != nil { session.rollback() }
            session.close()
        }
    }
}

/// Sources/Apus/Apus.docc/Dependencies.md, Swift block 3.
enum Snippet_Dependencies_3 {
    static func run() async throws {
        let oauth2 = OAuth2PasswordBearer(tokenURL: "token")
        let currentUser = Dependency(oauth2, Depends(session)) { token, session in try session.user(token: token) }
        app.get("/users/me", Depends(currentUser)) { user in user }
    }
}

/// Sources/Apus/Apus.docc/Dependencies.md, Swift block 4.
enum Snippet_Dependencies_4 {
    static func run() async throws {
        app.post("/orders", Body<Order>(), .backgroundTasks) { order, tasks in
            tasks.add { try mailer.confirm(order) }      // after the response, on the pool
            return order
        }
        let settings = try InventorySettings(SettingsReader())  // --database-path or DATABASE_PATH
        app.onStartup { app in app.state.set(try Database(path: settings.databasePath)) }
        app.onShutdown { app in app.state.get(Database.self)?.close() }
        try await app.run(alongside: [metricsExporter])          // one ServiceGroup
    }
}

/// Sources/Apus/Apus.docc/DocumentingAnAPI.md, Swift block 1.
enum Snippet_DocumentingAnAPI_1 {
    static func run() async throws {
        app.get("/items/{item_id}", tags: ["items"], name: "read_item",
                Path<Int>("item_id", .greaterThan(0)), Query<String?>("q", .maxLength(50))) { itemID, q async throws in
            try await store.item(itemID)
        }
        // summary "Read Item", operationId "read_item_items__item_id__get"
    }
}

/// Sources/Apus/Apus.docc/DocumentingAnAPI.md, Swift block 2.
enum Snippet_DocumentingAnAPI_2 {
    static func run() async throws {
        app.post("/items", status: .created, name: "create_item",
                 responses: [409: APIResponse("An item with this name exists", model: Message.self)],
                 Body<Item>()) { item in try store.insert(item) }
    }
}

/// Sources/Apus/Apus.docc/DocumentingAnAPI.md, Swift block 3.
enum Snippet_DocumentingAnAPI_3 {
    @Model(description: "A discounted bundle of items.")
    struct Offer {
        @Field(description: "Shown to customers", .maxLength(80)) var title: String
        @Field(.greaterThan(0), .lessThanOrEqual(0.5)) var discount: Double
        var tags: [String] = []          // absent -> [], shown as the default
    }
    static func run() async throws {
        Query<String>("text", alias: "search-text", .minLength(2)).documented(description: "Words to look for")

    }
}

/// Sources/Apus/Apus.docc/DocumentingAnAPI.md, Swift block 4.
enum Snippet_DocumentingAnAPI_4 {
    static func run() async throws {
        var docs = DocsConfiguration()
        docs.loadAssets(from: "/static/")     // swagger-ui-bundle.js, swagger-ui.css, redoc.standalone.js, favicon.png
        let app = App(title: "Inventory", docs: docs)
    }
}

/// Sources/Apus/Apus.docc/Errors.md, Swift block 1.
enum Snippet_Errors_1 {
    static func run() async throws {
        app.get("/items/{id}", Path<Int>("id")) { id async throws in
            guard let item = try await store.item(id) else { throw HTTPError(.notFound, detail: "Item not found") }
            return item
        }
    }
}

/// Sources/Apus/Apus.docc/Errors.md, Swift block 2.
enum Snippet_Errors_2 {
    static func run() async throws {
        app.onError(RequestValidationError.self) { error, request in
            Response.json(["problems": .int(Int64(error.errors.count))], status: .badRequest)
        }
        app.onError(HTTPError.self) { error, request in
            Response(status: error.status, headers: ["content-type": "text/plain; charset=utf-8"], body: "\(error.status.code)")
        }
    }
}

/// Sources/Apus/Apus.docc/Errors.md, Swift block 3.
enum Snippet_Errors_3 {
    static func run() async throws {
        let shop = Router(prefix: "/shop")
        shop.onError((any Error).self) { error, request in
            Response(status: .serviceUnavailable, headers: ["content-type": "text/plain; charset=utf-8"], body: "the shop is closed")
        }
        app.include(shop)
    }
}

/// Sources/Apus/Apus.docc/FirstSteps.md, Swift block 1.
enum Snippet_FirstSteps_1 {
    static func run() async throws {

        let app = App(title: "My API")
        app.get("/") { ["message": "Hello World"] }
        try await app.run()
    }
}

/// Sources/Apus/Apus.docc/FirstSteps.md, Swift block 2.
enum Snippet_FirstSteps_2 {
    static func run() async throws {
        app.get("/items/{item_id}", Path<Int>("item_id")) { itemID async in ["item_id": itemID] }
    }
}

/// Sources/Apus/Apus.docc/FirstSteps.md, Swift block 3.
enum Snippet_FirstSteps_3 {
    enum ModelName: String, CaseIterable, ParameterValue { case alexnet, resnet, lenet }
    static func run() async throws {
        app.get("/models/{model_name}", Path<ModelName>("model_name")) { model async in model.rawValue }
    }
}

/// Sources/Apus/Apus.docc/FirstSteps.md, Swift block 4.
enum Snippet_FirstSteps_4 {
    static func run() async throws {
        app.get("/items", Query<Int>("skip", default: 0), Query<Int>("limit", default: 10, .lessThanOrEqual(100)),
                Query<String?>("q", .maxLength(50)), Query<[String]>("tag", default: [])) { skip, limit, q, tags async in
            ["skip": "\(skip)", "limit": "\(limit)", "q": q ?? "", "tags": tags.joined(separator: ",")]
        }
    }
}

/// Sources/Apus/Apus.docc/FirstSteps.md, Swift block 5.
enum Snippet_FirstSteps_5 {
    @Model(description: "An item for sale.")
    struct Item {
        @Field(.minLength(1), .maxLength(80)) var name: String
        var description: String? = nil          // absent or null -> nil
        @Field(.greaterThan(0)) var price: Double
        var tags: [String] = []                 // absent -> []
    }
    static func run() async throws {
        app.post("/items", Body<Item>()) { item async in item }
    }
}

/// Sources/Apus/Apus.docc/FormsFilesAndStreaming.md, Swift block 1.
enum Snippet_FormsFilesAndStreaming_1 {
    static func run() async throws {
        app.post("/login", Form<String>("username"), Form<String>("password", .minLength(8))) { username, password in
            try users.logIn(username, password)
        }
        app.post("/signup", Form<Signup>()) { signup in try users.register(signup) }   // the whole form as a model
        app.post("/avatars", File<UploadFile>("avatar")) { avatar async throws in
            for try await piece in avatar.chunks() { try await store.append(piece) }
            return ["saved": avatar.filename ?? "avatar"]
        }
    }
}

/// Sources/Apus/Apus.docc/FormsFilesAndStreaming.md, Swift block 2.
enum Snippet_FormsFilesAndStreaming_2 {
    static func run() async throws {
        var configuration = ServerConfiguration()
        configuration.multipart.maxFileSize = 100 << 20   // 413 beyond
        configuration.multipart.maxPartHeaderSize = 8 << 10  // 400 beyond
        let app = App(title: "Uploads", configuration: configuration)
    }
}

/// Sources/Apus/Apus.docc/FormsFilesAndStreaming.md, Swift block 3.
enum Snippet_FormsFilesAndStreaming_3 {
    static func run() async throws {
        app.put("/uploads/{name}", bodyLimit: 4 << 30, Path<String>("name"), .bodyStream) { name, body async throws in
            var size = 0
            for try await chunk in body { size += chunk.readableBytes }
            return ["name": name, "size": "\(size)"]
        }
    }
}

/// Sources/Apus/Apus.docc/FormsFilesAndStreaming.md, Swift block 4.
enum Snippet_FormsFilesAndStreaming_4 {
    static func run() async throws {

        app.addMiddleware(CORSMiddleware(allowOrigins: ["https://app.example"], allowCredentials: true))
        app.addMiddleware(GZipMiddleware())
        app.addMiddleware(RequestLogMiddleware(logger: Logger(label: "access")))
    }
}

/// Sources/Apus/Apus.docc/FormsFilesAndStreaming.md, Swift block 5.
enum Snippet_FormsFilesAndStreaming_5 {
    static func run() async throws {
        app.get("/export") { StreamingResponse(rows, mediaType: "text/csv") }
        app.get("/events") { EventStream(updates) }
        app.get("/report") { FileResponse(path: "/srv/report.pdf", filename: "report.pdf") }
        app.mount("/static", StaticFiles(directory: "public", html: true))
    }
}

/// Sources/Apus/Apus.docc/Testing.md, Swift block 1.
enum Snippet_Testing_1 {
    @Test static func readItem() async throws {
        try await TestClient.run(app) { client in
            let response = try await client.get("/items/42?q=x")
            #expect(response.status == .ok)
            #expect(response.text == #"{"item_id":42,"q":"x"}"#)
        }
    }
    static func run() async throws {

    }
}

/// Sources/Apus/Apus.docc/WebSockets.md, Swift block 1.
enum Snippet_WebSockets_1 {
    static func run() async throws {
        app.webSocket("/ws/{room}", Path<String>("room"), Query<String>("user", .minLength(1))) { ws, room, user in
            try await ws.accept()
            for try await message in ws.messages {
                guard case .text(let text) = message else { continue }
                try await ws.send(text: "\(user)@\(room): \(text)")
            }
        }
    }
}

/// Sources/Apus/Apus.docc/WebSockets.md, Swift block 2.
enum Snippet_WebSockets_2 {
    static func run() async throws {
        app.webSocket("/reports", .threadPool) { ws, pool in
            try await ws.accept()
            for try await message in ws.messages {
                let report = try await pool.run { try database.report(for: message) }
                try await ws.sendJSON(report)
            }
        }
    }
}

/// Sources/Apus/Apus.docc/WebSockets.md, Swift block 3.
enum Snippet_WebSockets_3 {
    static func run() async throws {

        try await TestClient.run(app) { client in
            try await client.webSocket("/ws/lobby?user=ann") { ws in
                try await ws.send(text: "hi")
                #expect(try await ws.receiveText() == "ann@lobby: hi")
            }
        }
    }
}

/// docs/models.md, Swift block 1.
enum Snippet_docs_models_1 {
    @Model(description: "An item for sale.")
    struct Item {
        @Field(description: "Shown to customers", .minLength(1), .maxLength(80)) var name: String
        @Field(.greaterThan(0), examples: [9.99]) var price: Double
        var tags: [String] = []                  // absent -> []
        var description: String? = nil           // absent or null -> nil
        @Field(alias: "item-id") var itemID: Int // "item-id" on the wire
    }
    static func run() async throws {
    }
}

/// docs/models.md, Swift block 2.
enum Snippet_docs_models_2 {
    @Model(extra: .forbid, keys: .snakeCase)
    struct Filters {
        @Field(.greaterThan(0), .lessThanOrEqual(100)) var limit: Int = 100
        var orderBy: String = "created_at"
        var tags: [String] = []
    }
    static func run() async throws {

        app.get("/items", Query<Filters>()) { filters async in filters }   // ?limit=5&tags=a&tags=b
    }
}

/// docs/models.md, Swift block 3.
enum Snippet_docs_models_3 {
    static func run() async throws {
        app.get("/items/{id}", responseExclude: [.unset], Path<Int>("id")) { id async in items[id] }
        app.get("/users/me", responseFields: .excluding(["password_hash"]), Depends(currentUser)) { user async in user }
    }
}

/// docs/models.md, Swift block 4.
enum Snippet_docs_models_4 {
    @Model
    struct ItemPatch {
        @Field(.minLength(1)) var name: Patchable<String>   // absent (keep) or a string (set)
        var note: Patchable<String?>                        // absent, null (clear) or a string
    }
    static func run() async throws {

        app.patch("/items/{id}", Path<Int>("id"), Body<ItemPatch>()) { id, patch async throws in
            try await store.item(id)?.applying(patch)
        }
    }
}

/// docs/openapi.md, Swift block 1.
enum Snippet_docs_openapi_1 {
    @Model(description: "A discounted bundle of items.")
    struct Offer {
        @Field(description: "Shown to customers", .maxLength(80)) var title: String
        @Field(.greaterThan(0), .lessThanOrEqual(0.5)) var discount: Double
    }
    static func run() async throws {
    }
}
