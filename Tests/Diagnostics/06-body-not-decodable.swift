import Apus

struct Item: Encodable, Sendable { var name: String }

let app = App()
// A request body is decoded: Item must be Decodable (or a @Model).
app.post("/items", Body<Item>()) { item async in item }
