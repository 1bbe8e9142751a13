import Apus

let app = App()
// {item_id} in the template, no Path<...>("item_id") among the parameters.
app.get("/items/{item_id}", Query<String?>("q")) { q async in ["q": q ?? ""] }
_ = try app.service()
