import Apus

let app = App()
// Two parameters declared, one closure argument.
app.get("/items/{item_id}", Path<Int>("item_id"), Query<String?>("q")) { itemID async in
    ["item_id": itemID]
}
