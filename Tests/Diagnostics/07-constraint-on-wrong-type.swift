import Apus

@Model
struct Item {
    // .minLength applies to strings; a count of array elements is .minItems.
    @Field(.minLength(1)) var tags: [String]
}

let app = App()
app.post("/items", Body<Item>()) { item async in item }
