import Apus
import ApusTesting
import Foundation
import NIOConcurrencyHelpers
import NIOHTTP1
import Testing

// Golden/jsonlines.json holds FastAPI 0.165's document and answer for the generator endpoint
// of Tests/Conformance/fastapi_jsonlines.py; the app here declares the same route with
// `JSONLines`.

private struct Item: Codable, Sendable {
    var name: String
    var price: Double
    var tags: [String]
}

@Suite("JSON Lines (golden file recorded from FastAPI 0.165)", .timeLimit(.minutes(1)))
struct JSONLinesTests {
    static func golden() throws -> JSONValue {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/jsonlines.json")
        return try JSONValue(parsing: Array(try Data(contentsOf: url)))
    }

    static func app() -> App {
        let app = makeApp()
        app.get("/items/stream", tags: ["items"], name: "stream_items") {
            JSONLines(AsyncStream { continuation in
                for (name, price) in [("hammer", 9.5), ("saw", 12), ("drill", 80.25)] {
                    continuation.yield(Item(name: name, price: price, tags: [String(name.prefix(1))]))
                }
                continuation.finish()
            })
        }
        return app
    }

    @Test("the document equals FastAPI's: application/jsonl with the item's itemSchema")
    func documentEqualsFastAPI() throws {
        let golden = try Self.golden()
        var expected = try #require(golden["openapi"])
        // The twin apps differ in title only (FastAPI's default is "FastAPI").
        expected.set("info", ["title": "Test", "version": "0.1.0"])
        let document = JSONComparison.removingInt64Format(try Self.app().openAPIDocument())
        let differences = JSONComparison.differences(expected: expected, actual: document)
        #expect(differences.isEmpty, "\(differences.count) differences:\n\(differences.joined(separator: "\n"))")
    }

    @Test("over a socket: FastAPI's status, content type and lines, chunked")
    func answersAsFastAPI() async throws {
        let golden = try Self.golden()
        try await TestClient.run(Self.app(), mode: .live) { client async throws in
            let response = try await client.get("/items/stream")
            #expect(JSONValue.int(Int64(response.status.code)) == golden["response"]?["status"])
            #expect(response.header("content-type").map(JSONValue.string) == golden["response"]?["content_type"])
            #expect(JSONValue.string(response.text) == golden["response"]?["body"])
            #expect(response.header("transfer-encoding") == "chunked")
            #expect(response.header("content-length") == nil)
        }
    }

    @Test("a slow reader slows the producer (bounded buffering); a client that leaves stops it")
    func backpressureAndCancellation() async throws {
        let produced = NIOLockedValueBox(0)
        let stopped = NIOLockedValueBox(false)
        let app = makeApp()
        app.get("/endless") { JSONLines(EndlessItems(produced: produced, stopped: stopped)) }
        try await TestClient.run(app, mode: .live) { client async throws in
            let reader = try SlowClient(port: try #require(client.port))
            reader.send("GET /endless HTTP/1.1\r\nhost: x\r\n\r\n")
            try await Task.sleep(nanoseconds: 1_000_000_000)
            let afterOneSecond = produced.withLockedValue { $0 }
            try await Task.sleep(nanoseconds: 500_000_000)
            let afterOneAndHalf = produced.withLockedValue { $0 }
            // Nothing read: the producer waits once the socket buffers are full (a line is ~1 KiB).
            #expect(afterOneSecond < 16_000, "produced \(afterOneSecond) lines for a client that reads nothing")
            #expect(afterOneAndHalf - afterOneSecond < 1_000)
            var read = 0
            while read < 4 << 20 { read += max(0, reader.read(upTo: 65536)) }
            try await eventually(5) { produced.withLockedValue { $0 } > afterOneAndHalf }
            reader.close()
            try await eventually(5) { stopped.withLockedValue { $0 } }
        }
    }
}

/// Endless items of about 1 KiB of JSON each, made on demand and counted; the iterator records
/// when it is dropped (the stream stopped).
private struct EndlessItems: AsyncSequence, Sendable {
    let produced: NIOLockedValueBox<Int>
    let stopped: NIOLockedValueBox<Bool>

    final class Iterator: AsyncIteratorProtocol {
        let produced: NIOLockedValueBox<Int>
        let stopped: NIOLockedValueBox<Bool>

        init(produced: NIOLockedValueBox<Int>, stopped: NIOLockedValueBox<Bool>) {
            self.produced = produced
            self.stopped = stopped
        }

        func next() async -> Item? {
            guard !Task.isCancelled else { return nil }
            self.produced.withLockedValue { $0 += 1 }
            return Item(name: String(repeating: "x", count: 1000), price: 1, tags: [])
        }

        deinit { self.stopped.withLockedValue { $0 = true } }
    }

    func makeAsyncIterator() -> Iterator { Iterator(produced: self.produced, stopped: self.stopped) }
}
