// Written by Scripts/extract-snippets.py from the README, the DocC articles, docs/ and doc comments: do not edit.
// A snippet that stops compiling fails the build; fix it where it is written, then run the script.

import Apus
import ApusPrometheus
import ApusTesting
import Foundation
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import Synchronization
import Testing
import Tracing

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
        app.get("/items/stream") { JSONLines(catalog.items()) }                         // application/jsonl, one item a line
        app.get("/export") { StreamingResponse(database.rows(), mediaType: "text/csv") } // backpressure to slow clients
        app.mount("/static", StaticFiles(directory: "public", html: true))             // ETag, 304, ranges, no traversal
        app.frontend("/", directory: "dist")   // a single-page app behind every route: client-side routes get index.html
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

/// README.md, Swift block 5.
enum Snippet_README_5 {
    static func run() async throws {

        let app = App(title: "Inventory")
        app.metrics(at: "/metrics")   // Prometheus text format; off by default, left out of the document
    }
}

/// README.md, Swift block 6.
enum Snippet_README_6 {
    static func run() async throws {

        var configuration = ServerConfiguration()
        configuration.tls = .files(certificate: "fullchain.pem", key: "privkey.pem")   // or --tls-certificate/--tls-key
        configuration.trustedProxies = ["10.0.0.0/8"]   // whose X-Forwarded-*/Forwarded are believed
        configuration.rootPath = "/api"                  // served under a prefix (FastAPI's root_path)
        let app = App(title: "Inventory", configuration: configuration)
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

/// Sources/Apus/Apus.docc/Deploying.md, Swift block 1.
enum Snippet_Deploying_1 {
    static func run() async throws {

        var configuration = ServerConfiguration()
        configuration.tls = .files(certificate: "/etc/apus/fullchain.pem", key: "/etc/apus/privkey.pem")
        let app = App(title: "Inventory", configuration: configuration)
    }
}

/// Sources/Apus/Apus.docc/Deploying.md, Swift block 2.
enum Snippet_Deploying_2 {
    static func run() async throws {

        let app = App(title: "Inventory")
        app.configuration.trustedProxies = ["10.0.0.0/8"]
        app.configuration.rootPath = "/api"
        app.servers = [OpenAPIServer(url: "https://api.example.com", description: "Production")]
        app.get("/whoami", .request) { request in
            ["client": request.client?.host ?? "unknown", "scheme": request.scheme, "base": request.baseURL]
        }
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
        let app = App(title: "Inventory", version: "2.0.0", summary: "Tools and their stock")
        app.termsOfService = "https://example.com/terms/"
        app.contact = APIContact(name: "Tool Desk", url: "https://example.com/contact/", email: "desk@example.com")
        app.license = APILicense(name: "Apache 2.0", identifier: "Apache-2.0")
        app.openAPITags = [APITag(name: "items", description: "Operations on **items**.")]
        app.externalDocs = APIExternalDocs(url: "https://example.com/handbook/", description: "The handbook")
    }
}

/// Sources/Apus/Apus.docc/DocumentingAnAPI.md, Swift block 5.
enum Snippet_DocumentingAnAPI_5 {
    static func run() async throws {
        app.generateUniqueID = { route in "\(route.tags.first ?? "default")-\(route.name)" }
    }
}

/// Sources/Apus/Apus.docc/DocumentingAnAPI.md, Swift block 6.
enum Snippet_DocumentingAnAPI_6 {
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

/// Sources/Apus/Apus.docc/FormsFilesAndStreaming.md, Swift block 6.
enum Snippet_FormsFilesAndStreaming_6 {
    struct Tick: Codable, Sendable { var count: Int }
    static func run() async throws {

        app.get("/ticks") {
            JSONLines(AsyncStream { continuation in
                for count in 1...3 { continuation.yield(Tick(count: count)) }
                continuation.finish()
            })
        }
    }
}

/// Sources/Apus/Apus.docc/FormsFilesAndStreaming.md, Swift block 7.
enum Snippet_FormsFilesAndStreaming_7 {
    struct Tick: Codable, Sendable { var count: Int }
    static func run() async throws {

        app.get("/ticks", Header<Int?>("last-event-id")) { lastID in
            EventStream(AsyncStream { continuation in
                for count in (lastID ?? 0) + 1...(lastID ?? 0) + 3 { continuation.yield(Tick(count: count)) }
                continuation.finish()
            })
        }
    }
}

/// Sources/Apus/Apus.docc/FormsFilesAndStreaming.md, Swift block 8.
enum Snippet_FormsFilesAndStreaming_8 {
    static func run() async throws {
        app.get("/api/items") { ["hammer", "saw"] }
        app.frontend("/", directory: "dist")
    }
}

/// Sources/Apus/Apus.docc/Observability.md, Swift block 1.
enum Snippet_Observability_1 {
    static func run() async throws {

        let app = App(title: "Inventory")
        app.metrics(at: "/metrics")   // scrape it; it is left out of the OpenAPI document
    }
}

/// Sources/Apus/Apus.docc/Observability.md, Swift block 2.
enum Snippet_Observability_2 {
    static func run() async throws {

        let app = App(title: "Inventory")
        app.telemetry = Telemetry(metrics: MetricsSystem.factory, tracer: InstrumentationSystem.tracer)
    }
}

/// Sources/Apus/Apus.docc/Observability.md, Swift block 3.
enum Snippet_Observability_3 {
    static func run() async throws {

        let app = App(title: "Inventory")
        app.get("/trace") { () async -> String in
            ServiceContext.current == nil ? "not traced" : "traced"
        }
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

/// docs/deployment.md, Swift block 1.
enum Snippet_docs_deployment_1 {
    static func run() async throws {

        var configuration = ServerConfiguration()
        configuration.tls = .files(certificate: "/etc/apus/fullchain.pem", key: "/etc/apus/privkey.pem")
        let app = App(title: "Inventory", configuration: configuration)
    }
}

/// docs/deployment.md, Swift block 2.
enum Snippet_docs_deployment_2 {
    static func run() async throws {

        let app = App(title: "Inventory")
        app.servers = [
            OpenAPIServer(url: "https://stag.example.com", description: "Staging"),
            OpenAPIServer(url: "https://api.example.com", description: "Production"),
        ]
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

/// docs/observability.md, Swift block 1.
enum Snippet_docs_observability_1 {
    static func run() async throws {

        let app = App(title: "Inventory")
        app.metrics(at: "/metrics")          // Prometheus text format, left out of the OpenAPI document
    }
}

/// docs/observability.md, Swift block 2.
enum Snippet_docs_observability_2 {
    static func run() async throws {

        let app = App(title: "Inventory")
        app.telemetry = Telemetry(metrics: MetricsSystem.factory, tracer: InstrumentationSystem.tracer)
        // the same as `app.telemetry = .bootstrapped`
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

/// Sources/Apus/Application/App+OpenAPIMetadata.swift, Swift block 1.
enum Snippet_Apus_Application_App_OpenAPIMetadata_1 {
    static func run() async throws {
        app.termsOfService = "https://example.com/terms/"
    }
}

/// Sources/Apus/Application/App+OpenAPIMetadata.swift, Swift block 2.
enum Snippet_Apus_Application_App_OpenAPIMetadata_2 {
    static func run() async throws {
        app.externalDocs = APIExternalDocs(url: "https://example.com/handbook/", description: "The handbook")
    }
}

/// Sources/Apus/Application/App+OpenAPIMetadata.swift, Swift block 3.
enum Snippet_Apus_Application_App_OpenAPIMetadata_3 {
    static func run() async throws {
        app.generateUniqueID = { route in "\(route.tags.first ?? "default")-\(route.name)" }
    }
}

/// Sources/Apus/Application/App.swift, Swift block 1.
enum Snippet_Apus_Application_App_1 {
    static func run() async throws {
        let app = App(title: "Inventory", version: "1.0.0")
        app.get("/items/{item_id}", Path<Int>("item_id")) { itemID async throws in try await store.item(itemID) }
        try await app.run()   // 127.0.0.1:8000 unless --host/--port or HOST/PORT say otherwise
    }
}

/// Sources/Apus/Application/App.swift, Swift block 2.
enum Snippet_Apus_Application_App_2 {
    static func run() async throws {
        app.addService(exporter, placement: .eventLoop)
    }
}

/// Sources/Apus/Application/App.swift, Swift block 3.
enum Snippet_Apus_Application_App_3 {
    static func run() async throws {
        app.servers = [OpenAPIServer(url: "https://api.example.com", description: "Production")]
    }
}

/// Sources/Apus/Application/App.swift, Swift block 4.
enum Snippet_Apus_Application_App_4 {
    static func run() async throws {
        let app = App(title: "Inventory")
        app.telemetry = .bootstrapped   // MetricsSystem's factory, InstrumentationSystem's tracer
    }
}

/// Sources/Apus/Application/App.swift, Swift block 5.
enum Snippet_Apus_Application_App_5 {
    static func run() async throws {

        let logger = Logger(label: "inventory")
        let group = ServiceGroup(services: [metricsExporter, try app.service()], gracefulShutdownSignals: [.sigterm], logger: logger)
        try await group.run()
    }
}

/// Sources/Apus/Application/App.swift, Swift block 6.
enum Snippet_Apus_Application_App_6 {
    static func run() async throws {
        let document = try app.openAPIDocument()
        print(document["paths"] ?? [:])
    }
}

/// Sources/Apus/Application/JSONLogHandler.swift, Swift block 1.
enum Snippet_Apus_Application_JSONLogHandler_1 {
    static func run() async throws {
        LoggingSystem.bootstrap(JSONLogHandler.init)
    }
}

/// Sources/Apus/Application/ServicePlacement.swift, Swift block 1.
enum Snippet_Apus_Application_ServicePlacement_1 {
    static func run() async throws {
        app.addService(exporter, placement: .eventLoop)
    }
}

/// Sources/Apus/Application/Settings.swift, Swift block 1.
enum Snippet_Apus_Application_Settings_1 {
    struct InventorySettings {
        var databasePath: String
        var tokenMinutes: Int
        init(_ settings: SettingsReader = SettingsReader()) throws(SettingsError) {
            databasePath = try settings.string("databasePath")
            tokenMinutes = try settings.int("tokenMinutes", default: 30)
        }
    }
    static func run() async throws {
    }
}

/// Sources/Apus/Concurrency/ThreadPool.swift, Swift block 1.
enum Snippet_Apus_Concurrency_ThreadPool_1 {
    static func run() async throws {
        app.webSocket("/reports", .threadPool) { ws, pool in
            try await ws.accept()
            for try await message in ws.messages {
                let report = try await pool.run { try database.report(for: message) }  // blocks a pool thread, not the loop
                try await ws.sendJSON(report)
            }
        }
    }
}

/// Sources/Apus/Dependencies/AppState.swift, Swift block 1.
enum Snippet_Apus_Dependencies_AppState_1 {
    static func run() async throws {
        app.onStartup { app in app.state.set(try await DatabasePool.open(settings.databasePath)) }
        let session = Dependency(Shared<DatabasePool>()) { pool in try pool.session() }
    }
}

/// Sources/Apus/Dependencies/BackgroundTasks.swift, Swift block 1.
enum Snippet_Apus_Dependencies_BackgroundTasks_1 {
    static func run() async throws {
        app.post("/orders", Body<Order>(), .backgroundTasks) { order, tasks in
            tasks.add { try mailer.confirm(order) }   // sync: runs on the blocking pool
            return order
        }
    }
}

/// Sources/Apus/Dependencies/Dependency.swift, Swift block 1.
enum Snippet_Apus_Dependencies_Dependency_1 {
    static func run() async throws {
        let pagination = Dependency(Query<Int>("skip", default: 0), Query<Int>("limit", default: 10)) { skip, limit in
            Page(skip: skip, limit: limit)
        }
        app.get("/items", Depends(pagination)) { page in try store.items(page) }
    }
}

/// Sources/Apus/Dependencies/Dependency.swift, Swift block 2.
enum Snippet_Apus_Dependencies_Dependency_2 {
    static func run() async throws {
        let session = Dependency(name: "session", setUp: { try database.openSession() }) { session, error in
            if error == nil { try session.commit() } else { session.rollback() }
            session.close()
        }
    }
}

/// Sources/Apus/Dependencies/Dependency.swift, Swift block 3.
enum Snippet_Apus_Dependencies_Dependency_3 {
    static func run() async throws {
        app.post("/orders", Body<Order>(), Depends(transaction, scope: .function)) { order, tx in
            try tx.record(order)   // committed before the response
        }
    }
}

/// Sources/Apus/Dependencies/DependencyOverrides.swift, Swift block 1.
enum Snippet_Apus_Dependencies_DependencyOverrides_1 {
    static func run() async throws {
        try app.dependencyOverrides.override(currentUser, with: Dependency { User(name: "test") })
        let client = try await TestClient(app)
    }
}

/// Sources/Apus/Dependencies/Depends.swift, Swift block 1.
enum Snippet_Apus_Dependencies_Depends_1 {
    static func run() async throws {
        app.get("/users/me", Depends(currentUser)) { user in user }
    }
}

/// Sources/Apus/Dependencies/Depends.swift, Swift block 2.
enum Snippet_Apus_Dependencies_Depends_2 {
    static func run() async throws {
        let database = Depends(session, maxConcurrency: 10)
        app.get("/items", database) { session in try session.items() }
        app.get("/users", database) { session in try session.users() }   // the same 10
    }
}

/// Sources/Apus/Dependencies/Depends.swift, Swift block 3.
enum Snippet_Apus_Dependencies_Depends_3 {
    static func run() async throws {
        let currentUser = Dependency(.securityScopes, Depends(token)) { scopes, token in
            guard scopes.scopes.allSatisfy(token.grants.contains) else {
                throw HTTPError(.unauthorized, detail: "Not enough permissions", headers: ["www-authenticate": "Bearer scope=\"\(scopes.scopeString)\""])
            }
            return token.user
        }
    }
}

/// Sources/Apus/Docs/DocsConfiguration.swift, Swift block 1.
enum Snippet_Apus_Docs_DocsConfiguration_1 {
    static func run() async throws {
        var docs = DocsConfiguration()
        docs.swaggerUIJavaScriptURL = "/static/swagger-ui-bundle.js"
        docs.swaggerUICSSURL = "/static/swagger-ui.css"
        let app = App(title: "Inventory", docs: docs)
    }
}

/// Sources/Apus/HTTP/ClientAddress.swift, Swift block 1.
enum Snippet_Apus_HTTP_ClientAddress_1 {
    static func run() async throws {
        app.get("/whoami", .request) { request in
            PlainText(request.client?.host ?? "unknown")
        }
    }
}

/// Sources/Apus/HTTP/HTTPError.swift, Swift block 1.
enum Snippet_Apus_HTTP_HTTPError_1 {
    static func run() async throws {
        app.get("/items/{id}", Path<Int>("id")) { id in
            guard let item = items[id] else { throw HTTPError(.notFound, detail: "Item not found") }
            return item
        }
    }
}

/// Sources/Apus/HTTP/Request.swift, Swift block 1.
enum Snippet_Apus_HTTP_Request_1 {
    static func run() async throws {
        app.get("/echo", .request) { request in
            PlainText("\(request.method) \(request.path)")
        }
    }
}

/// Sources/Apus/HTTP/Request.swift, Swift block 2.
enum Snippet_Apus_HTTP_Request_2 {
    static func run() async throws {
        app.get("/links", .request) { request in
            ["self": request.baseURL + "links"]
        }
    }
}

/// Sources/Apus/HTTP/RequestBodyStream.swift, Swift block 1.
enum Snippet_Apus_HTTP_RequestBodyStream_1 {
    static func run() async throws {
        app.put("/uploads/{name}", bodyLimit: 4 << 30, Path<String>("name"), .bodyStream) { name, body async throws in
            var size = 0
            for try await chunk in body { size += chunk.readableBytes }
            return ["name": name, "size": "\(size)"]
        }
    }
}

/// Sources/Apus/HTTP/RequestBodyStream.swift, Swift block 2.
enum Snippet_Apus_HTTP_RequestBodyStream_2 {
    static func run() async throws {
        app.post("/notes", .bodyStream) { body async throws in
            let bytes = try await body.collect(upTo: 1 << 20)
            return ["size": bytes.readableBytes]
        }
    }
}

/// Sources/Apus/HTTP/RequestState.swift, Swift block 1.
enum Snippet_Apus_HTTP_RequestState_1 {
    enum TenantKey: RequestStateKey { typealias Value = String }
    static func run() async throws {
    }
}

/// Sources/Apus/HTTP/RequestState.swift, Swift block 2.
enum Snippet_Apus_HTTP_RequestState_2 {
    enum TenantKey: RequestStateKey { typealias Value = String }
    struct TenantMiddleware: Middleware {
        func respond(to request: Request, next: MiddlewareNext) async throws -> Response {
            request.state[TenantKey.self] = request.headers.first(name: "x-tenant") ?? "public"
            return try await next(request)
        }
    }
    static func run() async throws {


        // The parameter's type is written out: Swift 6.3 cannot infer it through `??` on a generic subscript.
        app.get("/tenant", .request) { (request: Request) async in request.state[TenantKey.self] ?? "none" }
    }
}

/// Sources/Apus/HTTP/Response.swift, Swift block 1.
enum Snippet_Apus_HTTP_Response_1 {
    static func run() async throws {
        app.get("/teapot") { Response(status: .imATeapot, headers: ["x-brew": "earl-grey"], body: "I'm a teapot") }
    }
}

/// Sources/Apus/HTTP/ResponseChanges.swift, Swift block 1.
enum Snippet_Apus_HTTP_ResponseChanges_1 {
    static func run() async throws {
        app.post("/login", Form<String>("username"), .response) { username, response async throws in
            try response.setCookie("session", newSession(for: username), httpOnly: true)
            response.status = .accepted
            return ["user": username]
        }
    }
}

/// Sources/Apus/HTTP/SetCookie.swift, Swift block 1.
enum Snippet_Apus_HTTP_SetCookie_1 {
    static func run() async throws {
        var headers = HTTPHeaders()
        try headers.setCookie("session", "3f9a61", maxAge: 3600, secure: true, httpOnly: true)
        // set-cookie: session=...; HttpOnly; Max-Age=3600; Path=/; SameSite=lax; Secure
    }
}

/// Sources/Apus/JSON/JSONValue.swift, Swift block 1.
enum Snippet_Apus_JSON_JSONValue_1 {
    static func run() async throws {
        let value: JSONValue = .object([("name", .string("Widget")), ("price", .double(9.99))])
    }
}

/// Sources/Apus/Middleware/CORSMiddleware.swift, Swift block 1.
enum Snippet_Apus_Middleware_CORSMiddleware_1 {
    static func run() async throws {
        app.addMiddleware(CORSMiddleware(allowOrigins: ["https://app.example"], allowMethods: ["GET", "POST"], allowCredentials: true))
    }
}

/// Sources/Apus/Middleware/Middleware.swift, Swift block 1.
enum Snippet_Apus_Middleware_Middleware_1 {
    struct Timing: Middleware {
        func respond(to request: Request, next: MiddlewareNext) async throws -> Response {
            let start = ContinuousClock.now
            var response = try await next(request)
            response.headers.add(name: "server-timing", value: "app;dur=\(ContinuousClock.now - start)")
            return response
        }
    }
    static func run() async throws {
        app.addMiddleware(Timing())
    }
}

/// Sources/Apus/Middleware/RequestLogMiddleware.swift, Swift block 1.
enum Snippet_Apus_Middleware_RequestLogMiddleware_1 {
    static func run() async throws {
        app.addMiddleware(RequestLogMiddleware(logger: Logger(label: "access")))
        // info: GET /items/42 200 0.41 ms [request_id: 5F0C...]
    }
}

/// Sources/Apus/Middleware/TrustedHostMiddleware.swift, Swift block 1.
enum Snippet_Apus_Middleware_TrustedHostMiddleware_1 {
    static func run() async throws {
        app.addMiddleware(TrustedHostMiddleware(allowedHosts: ["example.com", "*.example.com"]))
    }
}

/// Sources/Apus/Models/CalendarDate.swift, Swift block 1.
enum Snippet_Apus_Models_CalendarDate_1 {
    @Model struct Booking { var day: CalendarDate }
    static func run() async throws {
        app.get("/bookings", Query<CalendarDate>("day")) { day in try store.bookings(on: day) }
    }
}

/// Sources/Apus/Models/DocumentedModel.swift, Swift block 1.
enum Snippet_Apus_Models_DocumentedModel_1 {
    struct Offer: Codable, Sendable, DocumentedModel {
        var title: String
        var discount: Double
        static let schemaDescription: String? = "A discounted bundle of items."
        static let fieldSchemas: [String: FieldSchema] = [
            "title": FieldSchema(description: "Shown to customers", .maxLength(80)),
            "discount": FieldSchema(.greaterThan(0), .lessThanOrEqual(0.5)),
        ]
    }
    static func run() async throws {
    }
}

/// Sources/Apus/Models/JSONSchemaProviding.swift, Swift block 1.
enum Snippet_Apus_Models_JSONSchemaProviding_1 {
    struct Cents: Codable, JSONSchemaProviding {
        var value: Int
        init(from decoder: any Decoder) throws { value = try decoder.singleValueContainer().decode(Int.self) }
        static func jsonSchema(in components: SchemaComponents) -> JSONValue {
            ["type": "integer", "minimum": 0, "description": "An amount in euro cents"]
        }
    }
    static func run() async throws {
    }
}

/// Sources/Apus/Models/MergePatch.swift, Swift block 1.
enum Snippet_Apus_Models_MergePatch_1 {
    @Model struct ItemPatch { var name: Patchable<String>; var note: Patchable<String?> }
    static func run() async throws {

        let item = Item(name: "Lamp", price: 9.5, note: "old")
        try item.applying(ItemPatch(name: .absent, note: .null))   // name "Lamp", note nil
    }
}

/// Sources/Apus/Models/ModelMacros.swift, Swift block 1.
enum Snippet_Apus_Models_ModelMacros_1 {
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

/// Sources/Apus/Models/OffsetDateTime.swift, Swift block 1.
enum Snippet_Apus_Models_OffsetDateTime_1 {
    @Model struct Meeting { var at: OffsetDateTime }
    static func run() async throws {
        // {"at":"2024-03-01T10:00:00.5-05:30"} -> {"at":"2024-03-01T10:00:00.500000-05:30"}
    }
}

/// Sources/Apus/Models/ParameterValue.swift, Swift block 1.
enum Snippet_Apus_Models_ParameterValue_1 {
    enum ModelName: String, CaseIterable, ParameterValue { case alexnet, resnet, lenet }
    static func run() async throws {
    }
}

/// Sources/Apus/Models/Patchable.swift, Swift block 1.
enum Snippet_Apus_Models_Patchable_1 {
    @Model
    struct ItemPatch {
        @Field(.minLength(1)) var name: Patchable<String>   // cannot be cleared
        var note: Patchable<String?>                        // null clears it
    }
    static func run() async throws {

        app.patch("/items/{id}", Path<Int>("id"), Body<ItemPatch>()) { id, patch async throws in
            guard let item = try await store.item(id) else { throw HTTPError(.notFound, detail: "Item not found") }
            return try item.applying(patch)
        }
    }
}

/// Sources/Apus/Observability/Telemetry.swift, Swift block 1.
enum Snippet_Apus_Observability_Telemetry_1 {
    static func run() async throws {

        let app = App(title: "Inventory")
        app.telemetry = .bootstrapped   // MetricsSystem's factory and InstrumentationSystem's tracer
    }
}

/// Sources/Apus/OpenAPI/OpenAPIMetadata.swift, Swift block 1.
enum Snippet_Apus_OpenAPI_OpenAPIMetadata_1 {
    static func run() async throws {
        app.contact = APIContact(name: "Tool Desk", url: "https://example.com/contact/", email: "desk@example.com")
    }
}

/// Sources/Apus/OpenAPI/OpenAPIMetadata.swift, Swift block 2.
enum Snippet_Apus_OpenAPI_OpenAPIMetadata_2 {
    static func run() async throws {
        app.license = APILicense(name: "Apache 2.0", identifier: "Apache-2.0")
    }
}

/// Sources/Apus/OpenAPI/OpenAPIMetadata.swift, Swift block 3.
enum Snippet_Apus_OpenAPI_OpenAPIMetadata_3 {
    static func run() async throws {
        app.openAPITags = [
            APITag(name: "items", description: "Operations on **items**.",
                   externalDocs: APIExternalDocs(url: "https://example.com/items/", description: "Items explained")),
            APITag(name: "users", description: "Who may borrow them."),
        ]
    }
}

/// Sources/Apus/OpenAPI/OpenAPIServer.swift, Swift block 1.
enum Snippet_Apus_OpenAPI_OpenAPIServer_1 {
    static func run() async throws {
        let app = App(title: "Inventory")
        app.servers = [
            OpenAPIServer(url: "https://stag.example.com", description: "Staging"),
            OpenAPIServer(url: "https://prod.example.com", description: "Production"),
        ]
    }
}

/// Sources/Apus/Parameters/Body.swift, Swift block 1.
enum Snippet_Apus_Parameters_Body_1 {
    struct Item: Codable, Sendable { var name: String; var price: Double }
    static func run() async throws {
        app.post("/items", Body<Item>()) { item in item }
    }
}

/// Sources/Apus/Parameters/Cookie.swift, Swift block 1.
enum Snippet_Apus_Parameters_Cookie_1 {
    static func run() async throws {
        Cookie<String?>("session_id")
    }
}

/// Sources/Apus/Parameters/Cookie.swift, Swift block 2.
enum Snippet_Apus_Parameters_Cookie_2 {
    @Model(extra: .forbid)
    struct Tracking { var sessionID: String; var adsID: String? }
    static func run() async throws {
        app.get("/items", Cookie<Tracking>()) { tracking async in tracking }
    }
}

/// Sources/Apus/Parameters/ExtractionContext.swift, Swift block 1.
enum Snippet_Apus_Parameters_ExtractionContext_1 {
    struct TenantHeader: RequestParameter {
        var info: ParameterInfo { ParameterInfo(location: .header, name: "x-tenant", isRequired: true) }
        func extract(from context: ExtractionContext) -> String? {
            guard let tenant = context.request.headers.first(name: "x-tenant") else {
                context.record(
                    ValidationErrorDetail(type: "missing", loc: ["header", "x-tenant"], msg: "Field required", input: .null),
                    from: .header)
                return nil
            }
            guard ["acme", "globex"].contains(tenant) else {
                context.fail(with: HTTPError(.forbidden, detail: "Unknown tenant"))
                return nil
            }
            return tenant
        }
    }
    static func run() async throws {
        /// The `X-Tenant` header, which must name a known tenant.
    }
}

/// Sources/Apus/Parameters/Form.swift, Swift block 1.
enum Snippet_Apus_Parameters_Form_1 {
    static func run() async throws {
        app.post("/login", Form<String>("username"), Form<String>("password")) { username, password in
            try users.logIn(username, password)
        }
    }
}

/// Sources/Apus/Parameters/Form.swift, Swift block 2.
enum Snippet_Apus_Parameters_Form_2 {
    struct Signup: Codable, Sendable { var email: String; var age: Int; var tags: [String] }
    static func run() async throws {
        app.post("/signup", Form<Signup>()) { signup in signup }
    }
}

/// Sources/Apus/Parameters/Form.swift, Swift block 3.
enum Snippet_Apus_Parameters_Form_3 {
    static func run() async throws {
        app.post("/avatars", Form<String>("user"), File<UploadFile>("avatar")) { user, avatar async throws in
            try await store.save(avatar.read(), for: user)
        }
    }
}

/// Sources/Apus/Parameters/Header.swift, Swift block 1.
enum Snippet_Apus_Parameters_Header_1 {
    static func run() async throws {
        Header<String?>("user_agent")        // reads User-Agent
        Header<[String]>("x_tag", default: []) // one item per header line
    }
}

/// Sources/Apus/Parameters/Header.swift, Swift block 2.
enum Snippet_Apus_Parameters_Header_2 {
    @Model(keys: .snakeCase)
    struct CommonHeaders { var host: String; var saveData: Bool = false; var xTag: [String] = [] }
    static func run() async throws {
        app.get("/items", Header<CommonHeaders>()) { headers async in headers }   // reads Save-Data, X-Tag
    }
}

/// Sources/Apus/Parameters/Path.swift, Swift block 1.
enum Snippet_Apus_Parameters_Path_1 {
    static func run() async throws {
        app.get("/items/{item_id}", Path<Int>("item_id", .greaterThan(0))) { itemID in ["item_id": itemID] }
    }
}

/// Sources/Apus/Parameters/Query.swift, Swift block 1.
enum Snippet_Apus_Parameters_Query_1 {
    static func run() async throws {
        Query<Int>("limit", default: 10, .lessThanOrEqual(100))   // absent -> 10
        Query<String?>("q", .maxLength(50))                       // absent -> nil
        Query<[String]>("tag", default: [])                       // ?tag=a&tag=b -> ["a", "b"]
    }
}

/// Sources/Apus/Parameters/Query.swift, Swift block 2.
enum Snippet_Apus_Parameters_Query_2 {
    @Model(extra: .forbid)
    struct Filters {
        @Field(.greaterThan(0), .lessThanOrEqual(100)) var limit: Int = 100
        var tags: [String] = []
    }
    static func run() async throws {
        app.get("/items", Query<Filters>()) { filters async in filters }   // ?limit=5&tags=a&tags=b
    }
}

/// Sources/Apus/Parameters/RequestParameter.swift, Swift block 1.
enum Snippet_Apus_Parameters_RequestParameter_1 {
    static func run() async throws {
        Query<String>("q").documented(description: "Words to look for")
        Query<Int?>("page").documented(deprecated: true)
    }
}

/// Sources/Apus/Parameters/RequestValue.swift, Swift block 1.
enum Snippet_Apus_Parameters_RequestValue_1 {
    static func run() async throws {
        app.get("/agent", .request) { request in request.headers.first(name: "user-agent") ?? "" }
        app.post("/orders", Body<Order>(), .backgroundTasks) { order, tasks in
            tasks.add { try mailer.confirm(order) }
            return order
        }
    }
}

/// Sources/Apus/Parameters/RequestValue.swift, Swift block 2.
enum Snippet_Apus_Parameters_RequestValue_2 {
    static func run() async throws {
        app.get("/echo", .request) { request in PlainText("\(request.method) \(request.path)") }
    }
}

/// Sources/Apus/Parameters/RequestValue.swift, Swift block 3.
enum Snippet_Apus_Parameters_RequestValue_3 {
    static func run() async throws {
        app.put("/uploads/{name}", bodyLimit: 4 << 30, Path<String>("name"), .bodyStream) { name, body async throws in
            var size = 0
            for try await chunk in body { size += chunk.readableBytes }
            return ["name": name, "size": "\(size)"]
        }
    }
}

/// Sources/Apus/Parameters/RequestValue.swift, Swift block 4.
enum Snippet_Apus_Parameters_RequestValue_4 {
    static func run() async throws {
        app.get("/visit", .response) { response async throws in
            try response.setCookie("seen", "1", maxAge: 86_400)
            return ["welcome": true]
        }
    }
}

/// Sources/Apus/Responses/EventStream.swift, Swift block 1.
enum Snippet_Apus_Responses_EventStream_1 {
    struct Tick: Codable, Sendable { var count: Int }
    static func run() async throws {
        app.get("/clock") {
            EventStream(AsyncStream { continuation in
                continuation.yield(ServerSentEvent(data: "tick", event: "clock"))
                continuation.finish()
            })
        }


        // A browser's EventSource sends Last-Event-ID when it reconnects: resume after it.
        app.get("/ticks", Header<Int?>("last-event-id")) { lastID in
            EventStream(AsyncStream { continuation in
                for count in (lastID ?? 0) + 1...(lastID ?? 0) + 3 { continuation.yield(Tick(count: count)) }
                continuation.finish()
            })
        }
    }
}

/// Sources/Apus/Responses/FileResponse.swift, Swift block 1.
enum Snippet_Apus_Responses_FileResponse_1 {
    static func run() async throws {
        app.get("/report") { FileResponse(path: "/srv/reports/latest.pdf", filename: "report.pdf") }
    }
}

/// Sources/Apus/Responses/JSONLines.swift, Swift block 1.
enum Snippet_Apus_Responses_JSONLines_1 {
    struct Tick: Codable, Sendable { var count: Int }
    static func run() async throws {

        app.get("/ticks") {
            JSONLines(AsyncStream { continuation in
                for count in 1...3 { continuation.yield(Tick(count: count)) }
                continuation.finish()
            })
        }
    }
}

/// Sources/Apus/Responses/ResponseConvertible.swift, Swift block 1.
enum Snippet_Apus_Responses_ResponseConvertible_1 {
    struct Greeting: ResponseConvertible {
        var name: String
        func response(to request: Request, status: HTTPResponseStatus) -> Response {
            let polite = request.headers.first(name: "accept-language")?.hasPrefix("fr") == true
            return Response(status: status, body: polite ? "Bonjour, \(name)" : "Hello, \(name)")
        }
    }
    static func run() async throws {
    }
}

/// Sources/Apus/Responses/ResponseConvertible.swift, Swift block 2.
enum Snippet_Apus_Responses_ResponseConvertible_2 {
    static func run() async throws {
        app.get("/plaintext") { PlainText("Hello, World!") }
    }
}

/// Sources/Apus/Responses/ResponseDocumentation.swift, Swift block 1.
enum Snippet_Apus_Responses_ResponseDocumentation_1 {
    static func run() async throws {
        app.post("/items", responses: [409: APIResponse("An item with this name exists", model: Message.self)], Body<Item>()) { item in
            try store.insert(item)
        }
    }
}

/// Sources/Apus/Responses/ResponseShaping.swift, Swift block 1.
enum Snippet_Apus_Responses_ResponseShaping_1 {
    static func run() async throws {
        app.get("/items/{id}", responseExclude: [.unset], Path<Int>("id")) { id async in items[id] }
    }
}

/// Sources/Apus/Responses/ResponseShaping.swift, Swift block 2.
enum Snippet_Apus_Responses_ResponseShaping_2 {
    static func run() async throws {
        app.get("/users/me", responseFields: .excluding(["password_hash"]), Depends(currentUser)) { user async in user }
    }
}

/// Sources/Apus/Responses/StreamingResponse.swift, Swift block 1.
enum Snippet_Apus_Responses_StreamingResponse_1 {
    static func run() async throws {
        app.get("/numbers") {
            StreamingResponse(AsyncStream { continuation in
                for number in 1...3 { continuation.yield("\(number)\n") }
                continuation.finish()
            }, mediaType: "text/plain")
        }
    }
}

/// Sources/Apus/Routing/Frontend.swift, Swift block 1.
enum Snippet_Apus_Routing_Frontend_1 {
    static func run() async throws {
        app.get("/api/items") { ["hammer", "saw"] }
        app.frontend("/", directory: "dist")
    }
}

/// Sources/Apus/Routing/RouteRegistrar+WebSocket.swift, Swift block 1.
enum Snippet_Apus_Routing_RouteRegistrar_WebSocket_1 {
    static func run() async throws {
        app.webSocket("/rooms/{room}", Path<String>("room"), Query<String?>("nick")) { ws, room, nick in
            try await ws.accept()
            for try await message in ws.messages { try await ws.send(message) }
        }
    }
}

/// Sources/Apus/Routing/RouteRegistrar.swift, Swift block 1.
enum Snippet_Apus_Routing_RouteRegistrar_1 {
    static func addHealthRoutes(to routes: some RouteRegistrar) {
        routes.get("/health") { PlainText("ok") }
    }
    static func run() async throws {
        addHealthRoutes(to: app)
        addHealthRoutes(to: Router(prefix: "/internal"))
    }
}

/// Sources/Apus/Routing/RouteRegistrar.swift, Swift block 2.
enum Snippet_Apus_Routing_RouteRegistrar_2 {
    static func run() async throws {
        let users = Router(prefix: "/users", tags: ["users"])
        users.get("/{user_id}", Path<Int>("user_id")) { id in User(name: "user \(id)") }
        app.include(users, prefix: "/v1")
    }
}

/// Sources/Apus/Routing/RouteRegistrar.swift, Swift block 3.
enum Snippet_Apus_Routing_RouteRegistrar_3 {
    static func run() async throws {
        app.onError(OutOfStock.self) { error, request in
            Response.json(["detail": .string("\(error.item) is out of stock")], status: .conflict)
        }
    }
}

/// Sources/Apus/Routing/RouteRegistrar.swift, Swift block 4.
enum Snippet_Apus_Routing_RouteRegistrar_4 {
    static func run() async throws {
        app.onError(HTTPError.self) { error, request async in
            await auditLog.record(error.status, request.path)
            return error.response
        }
    }
}

/// Sources/Apus/Routing/Router.swift, Swift block 1.
enum Snippet_Apus_Routing_Router_1 {
    static func run() async throws {
        let users = Router(prefix: "/users", tags: ["users"])
        users.get("/{user_id}", Path<Int>("user_id")) { id in User(name: "user \(id)") }
        app.include(users)
    }
}

/// Sources/Apus/Security/OAuth2PasswordBearer.swift, Swift block 1.
enum Snippet_Apus_Security_OAuth2PasswordBearer_1 {
    static func run() async throws {
        let oauth2 = OAuth2PasswordBearer(tokenURL: "token", scopes: ["items": "Read items"])
    }
}

/// Sources/Apus/Security/OAuth2PasswordRequestForm.swift, Swift block 1.
enum Snippet_Apus_Security_OAuth2PasswordRequestForm_1 {
    static func run() async throws {
        app.post("/token", OAuth2PasswordRequestForm()) { form in
            guard let user = try users.verify(form.username, form.password) else { throw HTTPError(.badRequest, detail: "Incorrect username or password") }
            return Token(access_token: try tokens.issue(for: user), token_type: "bearer")
        }
    }
}

/// Sources/Apus/Security/Security.swift, Swift block 1.
enum Snippet_Apus_Security_Security_1 {
    static func run() async throws {
        app.get("/items", Security(currentUser, scopes: ["items"])) { user in try store.items(ownedBy: user) }
    }
}

/// Sources/Apus/Security/SecurityScheme.swift, Swift block 1.
enum Snippet_Apus_Security_SecurityScheme_1 {
    static func run() async throws {
        let oauth2 = OAuth2PasswordBearer(tokenURL: "token")
        let currentUser = Dependency(oauth2) { token in try users.find(token: token) }
    }
}

/// Sources/Apus/Server/HTTP2Configuration.swift, Swift block 1.
enum Snippet_Apus_Server_HTTP2Configuration_1 {
    static func run() async throws {
        var configuration = ServerConfiguration()
        configuration.http2.cleartext = true          // h2c for a proxy or a client that knows
        configuration.http2.maxConcurrentStreams = 200
    }
}

/// Sources/Apus/Server/ServerConfiguration.swift, Swift block 1.
enum Snippet_Apus_Server_ServerConfiguration_1 {
    static func run() async throws {
        var configuration = ServerConfiguration()
        configuration.port = 8080
        configuration.maxBodySize = 10 << 20
        let app = App(title: "Inventory", configuration: configuration)
    }
}

/// Sources/Apus/Server/ServerConfiguration.swift, Swift block 2.
enum Snippet_Apus_Server_ServerConfiguration_2 {
    static func run() async throws {
        var configuration = ServerConfiguration()
        configuration.trustedProxies = ["127.0.0.1", "10.0.0.0/8"]
    }
}

/// Sources/Apus/Server/ServerConfiguration.swift, Swift block 3.
enum Snippet_Apus_Server_ServerConfiguration_3 {
    static func run() async throws {
        var configuration = ServerConfiguration()
        configuration.webSocket.maxMessageSize = 64 << 10
        configuration.webSocket.pingInterval = .seconds(5)
    }
}

/// Sources/Apus/Server/ServerTLS.swift, Swift block 1.
enum Snippet_Apus_Server_ServerTLS_1 {
    static func run() async throws {
        var configuration = ServerConfiguration()
        configuration.tls = .files(certificate: "/etc/apus/cert.pem", key: "/etc/apus/key.pem")
        let app = App(title: "Inventory", configuration: configuration)
    }
}

/// Sources/Apus/Validation/Constraint.swift, Swift block 1.
enum Snippet_Apus_Validation_Constraint_1 {
    static func run() async throws {
        app.get("/items/{item_id}", Path<Int>("item_id", .greaterThan(0)), Query<String?>("q", .maxLength(50))) { itemID, q in
            ["item_id": "\(itemID)", "q": q ?? ""]
        }
    }
}

/// Sources/Apus/Validation/ProblemDetails.swift, Swift block 1.
enum Snippet_Apus_Validation_ProblemDetails_1 {
    static func run() async throws {
        let app = App(title: "Orders", errors: .problemDetails)
        // 404: {"type":"about:blank","title":"Not Found","status":404,"detail":"Not Found"}
    }
}

/// Sources/Apus/WebSockets/WebSocket.swift, Swift block 1.
enum Snippet_Apus_WebSockets_WebSocket_1 {
    static func run() async throws {
        app.webSocket("/echo") { ws in
            try await ws.accept()
            for try await message in ws.messages {
                try await ws.send(message)
            }
        }
    }
}

/// Sources/Apus/WebSockets/WebSocketCloseCode.swift, Swift block 1.
enum Snippet_Apus_WebSockets_WebSocketCloseCode_1 {
    static func run() async throws {
        app.webSocket("/feed") { ws in
            try await ws.accept()
            ws.close(code: .policyViolation, reason: "token expired")
        }
    }
}

/// Sources/Apus/WebSockets/WebSocketErrors.swift, Swift block 1.
enum Snippet_Apus_WebSockets_WebSocketErrors_1 {
    static func run() async throws {
        app.webSocket("/echo") { ws in
            try await ws.accept()
            do {
                for try await message in ws.messages { try await ws.send(message) }
            } catch let disconnect as WebSocketDisconnect {
                print("left with", disconnect.code)
            }
        }
    }
}

/// Sources/Apus/WebSockets/WebSocketErrors.swift, Swift block 2.
enum Snippet_Apus_WebSockets_WebSocketErrors_2 {
    static func run() async throws {
        app.webSocket("/feed", Query<String>("token")) { ws, token in
            guard token == "s3cret" else { throw WebSocketException(code: .policyViolation, reason: "bad token") }
            try await ws.accept()
        }
    }
}

/// Sources/ApusPrometheus/App+Metrics.swift, Swift block 1.
enum Snippet_ApusPrometheus_App_Metrics_1 {
    static func run() async throws {

        let app = App(title: "Inventory")
        app.metrics(at: "/metrics")
    }
}

/// Sources/ApusPrometheus/App+Metrics.swift, Swift block 2.
enum Snippet_ApusPrometheus_App_Metrics_2 {
    static func run() async throws {

        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory.apus(registry: registry))
    }
}

/// Sources/ApusTesting/APIContract.swift, Swift block 1.
enum Snippet_ApusTesting_APIContract_1 {
    @Test static func apiContract() throws {
        let report = try APIContract.check(makeApp(), snapshot: URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().appendingPathComponent("openapi.snapshot.json"))
        #expect(report.breakingChanges.isEmpty, "\(report)")
    }
    static func run() async throws {

    }
}

/// Sources/ApusTesting/RawConnection.swift, Swift block 1.
enum Snippet_ApusTesting_RawConnection_1 {
    static func run() async throws {
        let client = try await TestClient(app)
        let connection = try await client.rawConnection()
        try await connection.send("GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n")
        let text = try await connection.readResponses(1, timeout: .seconds(2))
    }
}

/// Sources/ApusTesting/TestClient+WebSocket.swift, Swift block 1.
enum Snippet_ApusTesting_TestClient_WebSocket_1 {
    static func run() async throws {
        let client = try await TestClient(app)
        try await client.webSocket("/rooms/lobby?nick=ann") { ws in
            try await ws.send(text: "hi")
            #expect(try await ws.receiveText() == "ann: hi")
        }
    }
}

/// Sources/ApusTesting/TestClient.swift, Swift block 1.
enum Snippet_ApusTesting_TestClient_1 {
    static func run() async throws {
        try await TestClient.run(app) { client in
            let response = try await client.get("/items/42?q=x")
            #expect(response.status == .ok)
            #expect(response.text == #"{"item_id":42,"q":"x"}"#)
        }
    }
}

/// Sources/ApusTesting/WebSocketTestSession.swift, Swift block 1.
enum Snippet_ApusTesting_WebSocketTestSession_1 {
    static func run() async throws {
        let client = try await TestClient(app)
        try await client.webSocket("/echo") { ws in
            try await ws.send(text: "hello")
            #expect(try await ws.receiveText() == "hello")
        }
    }
}
