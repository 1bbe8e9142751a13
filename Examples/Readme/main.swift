// The README's quick start, exactly as the README shows it (a test compares the two):
// `swift run readme-quickstart`, then open http://127.0.0.1:8000/docs
import Apus
import Synchronization

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
