import Apus

func lookUp(_ id: Int) async -> String { "lamp" }

let app = App()
// The closure is not marked async, but it awaits.
app.get("/items/{item_id}", Path<Int>("item_id")) { (itemID: Int) -> [String: String] in
    let name = await lookUp(itemID)
    return ["name": name]
}
_ = try app.service()
