import Apus
import ApusTesting
import Testing

@Model
struct Article {
    @Field(.minLength(1)) var title: String
    var body: String = ""
    var note: String? = nil
    var tags: [String] = []
}

/// The PATCH body of ``Article``: each field absent (keep) or a value (set); `note`, optional in
/// the article, may also be `null` (clear).
@Model
struct ArticlePatch {
    @Field(.minLength(1)) var title: Patchable<String>
    var body: Patchable<String>
    var note: Patchable<String?>
    var tags: Patchable<[String]>
}

/// `Patchable` fields and `applying` (RFC 7396 merge patch), over HTTP.
@Suite("PATCH with Patchable and applying")
struct PatchTests {
    static let stored = Article(title: "First", body: "text", note: "old", tags: ["a"])

    static func makeApp() -> App {
        let app = App(title: "Patch")
        app.patch("/articles/1", Body<ArticlePatch>()) { patch async throws in try Self.stored.applying(patch) }
        app.patch("/raw/1", Body<JSONValue>()) { patch async throws in try Self.stored.applying(patch) }
        return app
    }

    @Test("an absent key keeps the value, null clears it, a value sets it")
    func threeStates() async throws {
        try await TestClient.run(Self.makeApp()) { client in
            let nothing = try await client.patch("/articles/1", json: "{}")
            #expect(nothing.status == .ok)
            #expect(nothing.headers == ["content-type": "application/json", "content-length": "57"])
            #expect(nothing.text == #"{"title":"First","body":"text","note":"old","tags":["a"]}"#)
            let some = try await client.patch("/articles/1", json: #"{"note":null,"tags":["b","c"]}"#)
            #expect(some.text == #"{"title":"First","body":"text","note":null,"tags":["b","c"]}"#)
            let raw = try await client.patch("/raw/1", json: #"{"body":"new","note":null}"#)
            #expect(raw.text == #"{"title":"First","body":"new","note":null,"tags":["a"]}"#)
        }
    }

    @Test("the patch is validated (constraints on a sent value, null where the field cannot be cleared) and so is the result")
    func validation() async throws {
        try await TestClient.run(Self.makeApp()) { client in
            let short = try await client.patch("/articles/1", json: #"{"title":""}"#)
            #expect(short.status == .unprocessableEntity)
            #expect(
                short.text
                    == #"{"detail":[{"type":"string_too_short","loc":["body","title"],"msg":"String should have at least 1 character","input":"","ctx":{"min_length":1}}]}"#
            )
            let wrongType = try await client.patch("/articles/1", json: #"{"title":5,"tags":"x"}"#)
            #expect(
                wrongType.text
                    == #"{"detail":[{"type":"string_type","loc":["body","title"],"msg":"Input should be a valid string","input":5},{"type":"list_type","loc":["body","tags"],"msg":"Input should be a valid list","input":"x"}]}"#
            )
            let cleared = try await client.patch("/articles/1", json: #"{"title":null,"note":null}"#)
            #expect(cleared.status == .unprocessableEntity)
            #expect(
                cleared.text
                    == #"{"detail":[{"type":"string_type","loc":["body","title"],"msg":"Input should be a valid string","input":null}]}"#
            )
            let raw = try await client.patch("/raw/1", json: #"{"title":null}"#)
            #expect(
                raw.text
                    == #"{"detail":[{"type":"missing","loc":["body","title"],"msg":"Field required","input":{"body":"text","note":"old","tags":["a"]}}]}"#
            )
        }
    }

    @Test("a patch encodes as the merge patch it stands for: absent fields left out, null kept")
    func encoding() throws {
        let patch = ArticlePatch(title: .absent, body: .value("x"), note: .null, tags: .absent)
        let json = try JSONParser.parse(try JSONModelEncoder.encode(patch))
        #expect(json == ["body": "x", "note": .null])
        let merged = try Self.stored.applying(patch)
        #expect(merged.body == "x" && merged.note == nil && merged.title == "First" && merged.tags == ["a"])
    }

    @Test("a Patchable field is documented as its value's schema (null only for an optional) and is never required")
    func schema() throws {
        let document = try Self.makeApp().openAPIDocument()
        let schema = try #require(document["components"]?["schemas"]?["ArticlePatch"])
        #expect(schema["required"] == nil)
        #expect(schema["properties"]?["title"] == ["type": "string", "minLength": 1, "title": "Title"])
        #expect(schema["properties"]?["note"] == ["anyOf": [["type": "string"], ["type": "null"]], "title": "Note"])
        #expect(schema["properties"]?["tags"] == ["type": "array", "items": ["type": "string"], "title": "Tags"])
    }
}
