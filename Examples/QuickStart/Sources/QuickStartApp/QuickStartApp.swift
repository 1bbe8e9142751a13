// The README's quick start app; `swift run quickstart` serves it (Sources/quickstart/main.swift),
// the tests check its API contract (Tests/ApusTests/QuickStartContractTests.swift).
public import Apus
public import Foundation

/// The body of `POST /items`.
struct Item: Codable, Sendable {
    var name: String
    var price: Double
    var tags: [String]
}

/// What `POST /items` answers: the item and its new id.
struct StoredItem: Codable, Sendable {
    var id: Int
    var name: String
    var price: Double
    var tags: [String]
}

/// What `GET /items/{item_id}` answers.
struct ItemQuery: Codable, Sendable {
    var item_id: Int
    var q: String?
}

enum ModelName: String, CaseIterable, ParameterValue, Codable {
    case alexnet, resnet, lenet
}

/// The quick start app: items, models, users and notes kept in `notesFile`.
public func makeQuickStartApp(
    notesFile: URL = FileManager.default.temporaryDirectory.appendingPathComponent("apus-quickstart-notes.txt")
) -> App {
    let app = App(
        title: "Apus quick start", version: "1.0.0", summary: "The README's example",
        description: "Items, models, users and notes: every route documented from its Swift declaration.")

    // Async handlers run on the event loop: they must not block.
    app.get("/", name: "root") { PlainText("Apus quick start: try /items/42?q=hello, /models/resnet, /notes") }

    app.get("/items/{item_id}", tags: ["items"], name: "read_item", Path<Int>("item_id", .greaterThan(0)), Query<String?>("q", .maxLength(50))) { itemID, q async in
        ItemQuery(item_id: itemID, q: q)
    }

    app.post("/items", status: .created, tags: ["items"], name: "create_item", Body<Item>()) { item async in
        StoredItem(id: 1, name: item.name, price: item.price, tags: item.tags)
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

    return app
}
