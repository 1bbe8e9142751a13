import Apus
import ApusTesting
import Testing

/// A small deterministic generator (SplitMix64), so a failure replays the same input.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Bad input never crashes", .timeLimit(.minutes(1)))
struct RobustnessTests {
    static let fragments = [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u12", "\\ud83d", "\\ude00", "null", "true", "fals", "-", "0", "01",
        "1e", "1.5e+3", "NaN", "-Infinity", " ", "\n", "\"name\"", "\"price\"", "\"tags\"", "\u{00}", "é", "💥", "\u{7F}",
        "9999999999999999999999", "-0.0", "\"a\":", "[[[[", "]]]]", "{\"lines\":[", "\"qty\":\"x\"",
    ]

    @Test("the JSON parser survives random fragments and bytes, and returns or throws")
    func parserFuzz() {
        var generator = SeededGenerator(state: 42)
        for _ in 0..<20_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0..<24, using: &generator) {
                text += Self.fragments.randomElement(using: &generator) ?? ""
            }
            var bytes = Array(text.utf8)
            if Bool.random(using: &generator), !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            _ = try? JSONValue(parsing: bytes)
        }
    }

    @Test("random bodies, paths, queries and headers get a 2xx or 4xx answer, never a crash or a 500")
    func pipelineFuzz() async throws {
        struct Line: Codable, Sendable {
            var sku: String
            var qty: Int
            var when: [String: Double]?
        }
        let app = makeApp()
        app.post(
            "/items/{id}", Path<Int>("id", .greaterThan(0)), Query<[Double]>("x", default: []), Header<UInt8?>("x_n"),
            Cookie<Bool?>("flag"), Body<[Line]>()
        ) { _, _, _, _, lines async in lines.count }
        var generator = SeededGenerator(state: 7)
        let pathPieces = ["1", "-1", "abc", "%2F", "%", "%zz", "9999999999999999999999", "", "é", "%C3%A9", ".."]
        let queryPieces = ["x=1", "x=nan", "x=", "x", "&&", "x=1e400", "x=%ff", "=", "x=%"]
        try await TestClient.run(app) { client async throws in
            for _ in 0..<1_500 {
                var body = ""
                for _ in 0..<Int.random(in: 0..<16, using: &generator) {
                    body += Self.fragments.randomElement(using: &generator) ?? ""
                }
                let path = "/items/" + (pathPieces.randomElement(using: &generator) ?? "")
                let query = (0..<Int.random(in: 0..<4, using: &generator)).map { _ in queryPieces.randomElement(using: &generator) ?? "" }
                let headers: HTTPHeaders = [
                    "content-type": Bool.random(using: &generator) ? "application/json" : "text/plain",
                    "x-n": String(Int.random(in: -300...300, using: &generator)),
                    "cookie": Bool.random(using: &generator) ? "flag=yes; a" : "=;;flag=\"maybe\"",
                ]
                let response = try await client.request(
                    .POST, path + "?" + query.joined(separator: "&"), headers: headers, body: ByteBuffer(string: body))
                #expect((200..<500).contains(response.status.code), "\(path) \(query) \(body)")
            }
        }
    }
}
