@_spi(Benchmarking) import Apus
import ApusTesting
import Benchmark
import Foundation

struct Item: Codable, Sendable {
    var name: String
    var price: Double
    var tags: [String]
}

/// The same item declared with `@Model` (its generated `Codable` conformance).
@Model
struct ModelItem {
    var name: String
    var price: Double
    var tags: [String]
}

/// The item as the README declares it: constraints, and a default.
@Model
struct ConstrainedItem {
    @Field(.minLength(1), .maxLength(80)) var name: String
    @Field(.greaterThan(0)) var price: Double
    var tags: [String] = []
}

struct ItemQuery: Codable, Sendable {
    var item_id: Int
    var q: String?
}

/// An app with `count` routes of the shape `/r{i}/items/{item_id}` plus the benchmark's item routes.
func makeApp(routes count: Int) -> App {
    let app = App()
    for index in 0..<count {
        app.get("/r\(index)/items/{item_id}", Path<Int>("item_id")) { id async in id }
        app.post("/r\(index)/items", Body<Item>()) { item async in item }
    }
    app.get("/items/{item_id}", Path<Int>("item_id", .greaterThan(0)), Query<String?>("q", .maxLength(50))) { id, q async in
        ItemQuery(item_id: id, q: q)
    }
    app.post("/items", Body<Item>()) { item async in item }
    return app
}

let itemBody = Array(#"{"name":"Widget","price":9.99,"tags":["a","b","c"]}"#.utf8)
let badBody = Array(#"{"name":5,"price":"oops","tags":["a",1]}"#.utf8)

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal, .instructions], maxDuration: .seconds(2))

    let small = try! PipelineProbe(makeApp(routes: 5))  // 10 + 2 routes
    let large = try! PipelineProbe(makeApp(routes: 500))  // 1,000 + 2 routes
    let lookup = Request(method: .GET, uri: "/r3/items/42")

    Benchmark("Router lookup 10 routes") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(small.route(lookup)) }
    }
    Benchmark("Router lookup 1000 routes") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(large.route(lookup)) }
    }

    let itemsGet = Request(method: .GET, uri: "/items/42?q=hello")
    Benchmark("Parameters path and query GET items") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(small.validate(itemsGet)) }
    }

    let itemsPost = Request(
        method: .POST, uri: "/items", headers: ["content-type": "application/json"], body: ByteBuffer(bytes: itemBody))
    Benchmark("Parameters JSON body POST items") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(small.validate(itemsPost)) }
    }

    let invalid = Request(
        method: .POST, uri: "/items", headers: ["content-type": "application/json"], body: ByteBuffer(bytes: badBody))
    Benchmark("Validation body with 3 errors") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(small.validate(invalid)) }
    }

    // A whole request through the in-process pipeline: routing, validation, the async handler
    // as a task on an event loop, JSON encoding, and the hop back to the caller.
    Benchmark("Whole request in-process GET items") { benchmark in
        let app = makeApp(routes: 5)
        app.configuration.eventLoopThreads = 1
        app.configuration.stallThreshold = nil
        let client = try await TestClient(app)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try await client.get("/items/42?q=hello")) }
        benchmark.stopMeasurement()
        await client.shutdown()
    }
    // One WebSocket message each way through a live socket on 127.0.0.1: the client's frame
    // encoder, the server's frame decoder, UTF-8 check, the handler's inbox and task, the
    // server's send, and back (client and server in this process, one loop each).
    Benchmark("WebSocket echo round trip live") { benchmark in
        let app = App()
        app.configuration.eventLoopThreads = 1
        app.configuration.stallThreshold = nil
        app.webSocket("/echo") { ws in
            try await ws.accept()
            for try await message in ws.messages { try await ws.send(message) }
        }
        try await TestClient.run(app, mode: .live) { client in
            try await client.webSocket("/echo") { ws in
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    try await ws.send(text: "hello, socket")
                    blackHole(try await ws.receive())
                }
                benchmark.stopMeasurement()
            }
        }
    }
    Benchmark("Whole request in-process POST items") { benchmark in
        let app = makeApp(routes: 5)
        app.configuration.eventLoopThreads = 1
        app.configuration.stallThreshold = nil
        let client = try await TestClient(app)
        let body = String(decoding: itemBody, as: UTF8.self)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try await client.post("/items", json: body)) }
        benchmark.stopMeasurement()
        await client.shutdown()
    }

    Benchmark("JSON decode item Apus") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(JSONCoding.decode(Item.self, from: itemBody)) }
    }
    Benchmark("JSON decode item Foundation") { benchmark in
        let decoder = JSONDecoder()
        let data = Data(itemBody)
        for _ in benchmark.scaledIterations { blackHole(try? decoder.decode(Item.self, from: data)) }
    }
    Benchmark("JSON decode item Model") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(JSONCoding.decode(ModelItem.self, from: itemBody)) }
    }
    Benchmark("JSON decode item Model with constraints") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(JSONCoding.decode(ConstrainedItem.self, from: itemBody)) }
    }
    Benchmark("JSON decode item Model Foundation") { benchmark in
        let decoder = JSONDecoder()
        let data = Data(itemBody)
        for _ in benchmark.scaledIterations { blackHole(try? decoder.decode(ModelItem.self, from: data)) }
    }
    let item = Item(name: "Widget", price: 9.99, tags: ["a", "b", "c"])
    let modelItem = ModelItem(name: "Widget", price: 9.99, tags: ["a", "b", "c"])
    Benchmark("JSON encode item Model") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try? JSONCoding.encode(modelItem)) }
    }
    Benchmark("JSON encode item Apus") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try? JSONCoding.encode(item)) }
    }
    Benchmark("JSON encode item Foundation") { benchmark in
        let encoder = JSONEncoder()
        for _ in benchmark.scaledIterations { blackHole(try? encoder.encode(item)) }
    }
}
