import Apus

let app = App()
// Path<Int> gives an Int, the closure takes a String.
app.get("/items/{item_id}", Path<Int>("item_id")) { (itemID: String) async in
    ["item_id": itemID]
}
