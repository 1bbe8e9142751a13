// The Apus contestant of the load harness in ../shared/bench: its five endpoints with the
// exact bodies the harness checks. Run by Benchmarks/load/apus.json.
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

var configuration = ServerConfiguration()
configuration.port = 8080
configuration.maxBodySize = 4 << 20  // the growth endpoints post up to 1 MiB
let app = App(title: "Apus bench", configuration: configuration)

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

registerGrowthEndpoints(on: app, routes: ProcessInfo.processInfo.environment["ROUTES"].flatMap { Int($0) } ?? 0)

// WebSocket echo, for Benchmarks/load/websocket_load.py.
app.webSocket("/ws/echo") { ws in
    try await ws.accept()
    for try await message in ws.messages { try await ws.send(message) }
}

do {
    try await app.run()
} catch {
    print("apus: \(error)")
    exit(1)
}
