import Apus

struct Item { var name: String }

let app = App()
// The return value is encoded as JSON: Item must be Encodable (or a @Model).
app.get("/items/{item_id}", Path<Int>("item_id")) { itemID async in
    Item(name: "lamp \(itemID)")
}
_ = try app.service()
