import Apus
import ApusTesting
import Foundation
import Testing

// The Apus twin of the FastAPI app in Tests/Conformance/fastapi_golden.py. The golden file
// Golden/fastapi.json holds what FastAPI 0.165 answered to each request; this test sends the
// same requests to Apus and compares status, content type, Location, Allow and body bytes.

private struct Line: Codable, Sendable {
    var sku: String
    var qty: Int
}

private struct Order: Codable, Sendable {
    var name: String
    var price: Double
    var lines: [Line]
    var rush: Bool
}

private enum Color: String, Codable, CaseIterable, ParameterValue, Sendable {
    case red, green, blue
}

private struct Item: Codable, Sendable {
    var name: String
    var price: Double
    var tags: [String]
}

private struct StoredItem: Codable, Sendable {
    var name: String
    var price: Double
    var tags: [String]
    var id: Int
}

private struct ItemQuery: Codable, Sendable {
    var item_id: Int
    var q: String?
}

private struct TypesOut: Codable, Sendable {
    var n: Int
    var f: Double
    var b: Bool
    var u: String
    var c: Color
    var s: String
    var tags: [Int]
}

private struct HeadersOut: Codable, Sendable {
    var user_agent: String?
    var x_tag: [String]
    var strange: String?
}

private struct CookiesOut: Codable, Sendable {
    var session: String?
    var theme: String
}

private struct Boom: Error {}

private struct EmbeddedOut: Codable, Sendable {
    var sku: String
    var color: Color
}

func conformanceApp() -> App {
    let app = makeApp()
    app.get("/items/{item_id}", Path<Int>("item_id", .greaterThan(0)), Query<String?>("q", .maxLength(5))) { id, q async in
        ItemQuery(item_id: id, q: q)
    }
    app.post("/items", Body<Item>()) { item async in
        StoredItem(name: item.name, price: item.price, tags: item.tags, id: 1)
    }
    app.get(
        "/types", Query<Int>("n"), Query<Double>("f"), Query<Bool>("b"), Query<UUID>("u"), Query<Color>("c"),
        Query<String>("s", .minLength(2), .pattern("^[a-z]+$")), Query<[Int]>("tags", default: []), Query<Date?>("when")
    ) { n, f, b, u, c, s, tags, _ async in
        TypesOut(n: n, f: f, b: b, u: u.uuidString.lowercased(), c: c, s: s, tags: tags)
    }
    app.get(
        "/numbers", Query<Int>("a", default: 5, .greaterThanOrEqual(1), .lessThanOrEqual(10)),
        Query<Double>("b", default: 1.0, .greaterThan(0.5), .lessThan(2.5)), Query<Int>("m", default: 3, .multipleOf(3))
    ) { a, b, m async in
        ["a": JSONValue.int(Int64(a)), "b": .double(b), "m": .int(Int64(m))]
    }
    app.post(
        "/orders/{order_id}", Path<Int>("order_id"), Query<Bool>("verbose"), Body<Order>(), Header<String>("x_token"),
        Cookie<Int>("session")
    ) { id, _, _, _, _ async in
        ["order_id": id]
    }
    app.post("/embedded", Body<Line>("line"), Body<Color>("color")) { line, color async in
        EmbeddedOut(sku: line.sku, color: color)
    }
    app.post("/single-embedded", Body<Line>("line", embed: true)) { line async in ["sku": line.sku] }
    app.get(
        "/headers", Header<String?>("user_agent"), Header<[String]>("x_tag", default: []),
        Header<String?>("strange", alias: "X-Strange_Name")
    ) { agent, tags, strange async in
        HeadersOut(user_agent: agent, x_tag: tags, strange: strange)
    }
    app.get("/cookies", Cookie<String?>("session"), Cookie<String>("theme", default: "light")) { session, theme async in
        CookiesOut(session: session, theme: theme)
    }
    app.get("/error") { () async throws -> String in
        throw HTTPError(.notFound, detail: "Item not found", headers: ["x-error": "yes"])
    }
    app.get("/crash") { () async throws -> String in throw Boom() }
    app.get("/slash/") { "slash" }
    return app
}

@Suite("FastAPI conformance (golden file recorded from FastAPI 0.165)", .timeLimit(.minutes(1)))
struct FastAPIConformanceTests {
    struct Golden: Decodable {
        var fastapi: String
        var cases: [GoldenCase]
    }

    static func golden() throws -> Golden {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/fastapi.json")
        return try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
    }

    @Test("every recorded request gets FastAPI's status, headers and body bytes")
    func matchesFastAPI() async throws {
        let golden = try Self.golden()
        #expect(golden.cases.count >= 38)
        try await TestClient.run(conformanceApp()) { client async throws in
            for var recorded in golden.cases {
                if recorded.url.contains("f=inf") {
                    // Deliberate difference: FastAPI accepts `inf` for a float, then fails to encode
                    // it (500); Apus refuses it up front with pydantic's `finite_number`.
                    #expect(recorded.status == 500)
                    recorded.status = 422
                    recorded.content_type = "application/json"
                    recorded.response =
                        #"{"detail":[{"type":"finite_number","loc":["query","f"],"msg":"Input should be a finite number","input":"inf"}]}"#
                }
                let response = try await recorded.replay(on: client)
                let name = recorded.name
                #expect(response.header("location") == recorded.location, "\(name)")
                // Deliberate difference: Apus answers HEAD for GET routes, so Allow names it too.
                let fastAPIAllow = Set((recorded.allow ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                var expectedAllow = fastAPIAllow
                if expectedAllow.contains("GET") { expectedAllow.insert("HEAD") }
                let apusAllow = Set((response.header("allow") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                #expect(apusAllow == expectedAllow, "\(name)")
            }
        }
    }
}
