// The five endpoints of the load harness (../shared/bench) with the exact bodies it checks;
// shared with the telemetry variants in Benchmarks/load/telemetry (a symbolic link there).
import Apus
import Foundation

struct Message: Codable, Sendable {
    var message: String
}

struct ItemQuery: Codable, Sendable {
    var item_id: Int
    var q: String?
}

@Model
struct Item {
    var name: String
    var price: Double
    var tags: [String]
}

struct StoredItem: Codable, Sendable {
    var name: String
    var price: Double
    var tags: [String]
    var id: Int
}

/// `/plaintext`, `/json`, `/items/{item_id}`, `POST /items` and `/blocking`.
func registerBenchEndpoints(on app: App) {
    app.get("/plaintext") { () async in PlainText("Hello, World!") }

    app.get("/json") { () async in Message(message: "Hello, World!") }

    app.get("/items/{item_id}", Path<Int>("item_id"), Query<String?>("q")) { itemID, q async in
        ItemQuery(item_id: itemID, q: q)
    }

    app.post("/items", Body<Item>()) { item async in
        StoredItem(name: item.name, price: item.price, tags: item.tags, id: 1)
    }

    // Sync: runs on the blocking pool, as FastAPI runs a `def` endpoint.
    app.get("/blocking") { () -> PlainText in
        usleep(10_000)
        return PlainText("ok")
    }
}
