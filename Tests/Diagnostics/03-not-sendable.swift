import Apus

final class Counter { var count = 0 }

let app = App()
let counter = Counter()
// A handler runs on many threads at once: what it captures must be Sendable.
app.get("/count") { () async in
    counter.count += 1
    return ["count": counter.count]
}
