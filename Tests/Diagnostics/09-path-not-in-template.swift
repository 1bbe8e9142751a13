import Apus

let app = App()
// Path<Int>("id") declared, the template says {item_id}.
app.get("/items/{item_id}", Path<Int>("id")) { id async in ["id": id] }
_ = try app.service()
