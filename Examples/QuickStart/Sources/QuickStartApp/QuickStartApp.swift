// The README's quick start app; `swift run quickstart` serves it (Sources/quickstart/main.swift),
// the tests check its API contract (Tests/ApusTests/QuickStartContractTests.swift).
public import Apus
import ApusPrometheus
public import Foundation
import Synchronization

/// The body of `POST /items`: absent `tags` are `[]`, every bad field is one entry of the 422.
@Model(description: "An item for sale.")
struct Item {
    @Field(description: "Shown to customers", .minLength(1), .maxLength(80)) var name: String
    @Field(.greaterThan(0)) var price: Double
    var tags: [String] = []
}

/// The body of `PATCH /items/{item_id}`: each field absent (kept), `null` (cleared) or a value (set).
@Model
struct ItemPatch {
    @Field(.minLength(1), .maxLength(80)) var name: Patchable<String>
    @Field(.greaterThan(0)) var price: Patchable<Double>
    var tags: Patchable<[String]>
}

/// What `POST /items` and `PATCH /items/{item_id}` answer: the item and its id.
@Model
struct StoredItem {
    var id: Int
    var name: String
    var price: Double
    var tags: [String]
}

/// The items created since start, in memory.
final class ItemStore: Sendable {
    private let items = Mutex<(nextID: Int, byID: [Int: StoredItem])>((1, [:]))

    func add(_ item: Item) -> StoredItem {
        self.items.withLock { items in
            let stored = StoredItem(id: items.nextID, name: item.name, price: item.price, tags: item.tags)
            items.byID[stored.id] = stored
            items.nextID += 1
            return stored
        }
    }

    /// The item with `patch` applied (validated as a body), or a 404.
    func update(_ id: Int, with patch: ItemPatch) throws -> StoredItem {
        try self.items.withLock { items in
            guard let item = items.byID[id] else { throw HTTPError(.notFound, detail: "Item not found") }
            let updated = try item.applying(patch)
            items.byID[id] = updated
            return updated
        }
    }
}

/// What `GET /items/{item_id}` answers.
struct ItemQuery: Codable, Sendable {
    var item_id: Int
    var q: String?
}

enum ModelName: String, CaseIterable, ParameterValue, Codable {
    case alexnet, resnet, lenet
}

/// The quick start app: items, models, users and notes kept in `notesFile`; a form, an
/// upload, a streamed response, server-sent events and the static folder `staticDirectory`.
public func makeQuickStartApp(
    notesFile: URL = FileManager.default.temporaryDirectory.appendingPathComponent("apus-quickstart-notes.txt"),
    staticDirectory: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("static").path
) -> App {
    let app = App(
        title: "Apus quick start", version: "1.0.0", summary: "The README's example",
        description: "Items, models, users and notes: every route documented from its Swift declaration.")
    // Request, pool, event loop and background task metrics for Prometheus (not in the document).
    app.metrics(at: "/metrics")

    // Async handlers run on the event loop: they must not block.
    app.get("/", name: "root") { PlainText("Apus quick start: try /items/42?q=hello, /models/resnet, /notes") }

    app.get("/items/{item_id}", tags: ["items"], name: "read_item", Path<Int>("item_id", .greaterThan(0)), Query<String?>("q", .maxLength(50))) { itemID, q async in
        ItemQuery(item_id: itemID, q: q)
    }

    let items = ItemStore()
    app.post("/items", status: .created, tags: ["items"], name: "create_item", Body<Item>()) { item async in
        items.add(item)
    }

    // PATCH done right: an absent field is kept, `null` clears it, and the result is validated.
    app.patch(
        "/items/{item_id}", tags: ["items"], name: "update_item", responses: [404: APIResponse("Item not found")],
        Path<Int>("item_id"), Body<ItemPatch>()
    ) { itemID, patch async throws in
        try items.update(itemID, with: patch)
    }

    app.get("/models/{model_name}", tags: ["models"], name: "get_model", Path<ModelName>("model_name")) { model async in
        ["model_name": model.rawValue, "message": model == .alexnet ? "Deep Learning FTW!" : "Have some residuals"]
    }

    app.get("/users/me", tags: ["users"], name: "read_user_me") { ["user_id": "the current user"] }
    app.get("/users/{user_id}", tags: ["users"], name: "read_user", Path<String>("user_id")) { userID async in ["user_id": userID] }

    // Sync handlers (no `await`) run on the blocking pool: blocking file I/O is fine here.

    app.post("/notes", status: .created, tags: ["notes"], name: "save_note", Body<String>("text", embed: true)) { text in
        let handle: FileHandle
        if let existing = try? FileHandle(forWritingTo: notesFile) {
            handle = existing
        } else {
            _ = FileManager.default.createFile(atPath: notesFile.path, contents: nil)
            handle = try FileHandle(forWritingTo: notesFile)
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((text + "\n").utf8))
        return ["saved": text]
    }

    app.get("/notes", tags: ["notes"], name: "read_notes", Query<Int>("limit", default: 10, .greaterThanOrEqual(1), .lessThanOrEqual(100))) { limit in
        let contents = (try? String(contentsOf: notesFile, encoding: .utf8)) ?? ""
        let notes = contents.split(separator: "\n").suffix(limit).map(String.init)
        return ["notes": notes]
    }

    // A form, an upload, a streamed response, server-sent events and a static folder.
    app.post("/contact", tags: ["forms"], name: "contact", Form<String>("name", .minLength(1)), Form<String>("message", .minLength(1))) {
        name, message async in
        ["received": "\(name): \(message)"]
    }
    app.post(
        "/files", tags: ["forms"], name: "upload_file", responses: [400: APIResponse("Malformed multipart body")],
        File<UploadFile>("file")
    ) { file async throws in
        // Large uploads are on disk already (spooled while they arrived); read them in pieces.
        var size = 0
        var checksum: UInt32 = 0
        for try await chunk in file.chunks() {
            size += chunk.readableBytes
            for byte in chunk.readableBytesView { checksum = checksum &* 31 &+ UInt32(byte) }
        }
        return UploadSummary(filename: file.filename, content_type: file.contentType, size: size, checksum: checksum)
    }
    app.get("/count", tags: ["streaming"], name: "count", Query<Int>("to", default: 5, .greaterThanOrEqual(1), .lessThanOrEqual(1000))) {
        limit async in
        StreamingResponse(
            AsyncStream { continuation in
                for number in 1...limit { continuation.yield("\(number)\n") }
                continuation.finish()
            }, mediaType: "text/plain; charset=utf-8")
    }
    app.get("/clock", tags: ["streaming"], name: "clock", Query<Int>("ticks", default: 3, .greaterThanOrEqual(1), .lessThanOrEqual(5))) {
        ticks async in
        EventStream(
            AsyncStream { continuation in
                let task = Task {
                    for tick in 1...ticks {
                        continuation.yield(ServerSentEvent(data: Date().formatted(.iso8601), event: "tick", id: String(tick)))
                        try? await Task.sleep(for: .seconds(1))
                    }
                    continuation.finish()
                }
                continuation.onTermination = { _ in task.cancel() }
            })
    }
    app.mount("/static", StaticFiles(directory: staticDirectory, html: true))

    return app
}

/// What `POST /files` answers.
struct UploadSummary: Codable, Sendable {
    var filename: String?
    var content_type: String?
    var size: Int
    var checksum: UInt32
}
