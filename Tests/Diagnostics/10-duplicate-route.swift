import Apus

let app = App()
app.get("/items") { ["items": [String]()] }
// The same method and path again.
app.get("/items") { ["items": ["lamp"]] }
_ = try app.service()
