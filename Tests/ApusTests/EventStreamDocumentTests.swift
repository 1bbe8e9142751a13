import Apus
import ApusTesting
import Foundation
import Testing

// Golden/sse.json holds FastAPI 0.165's document for the server-sent event routes of
// Tests/Conformance/fastapi_sse.py and its answer for the stream of models; the app here
// declares the same routes with `EventStream`.

private struct Tick: Codable, Sendable {
    var count: Int
    var label: String
}

@Suite("Server-sent events in the document (golden file recorded from FastAPI 0.165)", .timeLimit(.minutes(1)))
struct EventStreamDocumentTests {
    static func golden() throws -> JSONValue {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/sse.json")
        return try JSONValue(parsing: Array(try Data(contentsOf: url)))
    }

    static func app() -> App {
        let app = makeApp()
        app.get("/ticks", name: "ticks") {
            EventStream(AsyncStream { continuation in
                for count in 1...2 { continuation.yield(Tick(count: count, label: "t\(count)")) }
                continuation.finish()
            })
        }
        app.get("/events", name: "events", Header<String?>("last-event-id")) { lastID in
            EventStream(AsyncStream { continuation in
                continuation.yield(ServerSentEvent(data: lastID ?? "start", id: "1"))
                continuation.finish()
            })
        }
        return app
    }

    @Test("the document equals FastAPI's: text/event-stream with OpenAPI 3.2's event itemSchema, the model as data's contentSchema")
    func documentEqualsFastAPI() throws {
        var expected = try #require(try Self.golden()["openapi"])
        // The twin apps differ in title only (FastAPI's default is "FastAPI").
        expected.set("info", ["title": "Test", "version": "0.1.0"])
        let document = JSONComparison.removingInt64Format(try Self.app().openAPIDocument())
        let differences = JSONComparison.differences(expected: expected, actual: document)
        #expect(differences.isEmpty, "\(differences.count) differences:\n\(differences.joined(separator: "\n"))")
    }

    @Test("a stream of models answers as FastAPI's: each model's JSON as an event's data; Last-Event-ID reaches the handler")
    func answersAsFastAPI() async throws {
        let golden = try Self.golden()
        try await TestClient.run(Self.app(), mode: .live) { client async throws in
            let ticks = try await client.get("/ticks")
            #expect(JSONValue.int(Int64(ticks.status.code)) == golden["response"]?["status"])
            #expect(ticks.header("content-type").map(JSONValue.string) == golden["response"]?["content_type"])
            #expect(JSONValue.string(ticks.text) == golden["response"]?["body"])
            #expect(ticks.header("cache-control") == "no-cache")
            let resumed = try await client.get("/events", headers: ["last-event-id": "41"])
            #expect(resumed.text == "id: 1\ndata: 41\n\n")
            #expect(try await client.get("/events").text == "id: 1\ndata: start\n\n")
        }
    }
}
