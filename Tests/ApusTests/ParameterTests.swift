import Apus
import ApusTesting
import Foundation
import Testing

private struct Nested: Codable, Sendable {
    struct Line: Codable, Sendable {
        var sku: String
        var qty: Int
    }
    var lines: [Line]
    var meta: [String: Int]
    var flag: Bool?
}

private struct MiscOut: Codable, Sendable {
    var at: Double
    var ratio: Float
    var q: String?
    var tags: [String]?
    var n: [Int]
}

@Suite("Typed parameters", .timeLimit(.minutes(1)))
struct ParameterTests {
    @Test("every integer width converts and reports its own range")
    func integerWidths() async throws {
        let app = makeApp()
        app.get(
            "/ints", Query<Int8>("i8"), Query<Int16>("i16"), Query<Int32>("i32"), Query<Int64>("i64"),
            Query<UInt8>("u8"), Query<UInt16>("u16"), Query<UInt32>("u32"), Query<UInt64>("u64"), Query<UInt>("u")
        ) { (i8: Int8, i16: Int16, i32: Int32, i64: Int64, u8: UInt8, u16: UInt16, u32: UInt32, u64: UInt64, u: UInt) async -> PlainText in
            PlainText("[\(i8),\(i16),\(i32),\(i64),\(u8),\(u16),\(u32),\(u64),\(u)]")
        }
        try await TestClient.run(app) { client async throws in
            let ok = try await client.get("/ints?i8=-128&i16=32767&i32=-5&i64=9223372036854775807&u8=255&u16=0&u32=7&u64=8&u=9")
            #expect(ok.text == "[-128,32767,-5,9223372036854775807,255,0,7,8,9]")
            let bad = try await client.get("/ints?i8=128&i16=1&i32=1&i64=1&u8=-1&u16=1&u32=1&u64=1&u=1")
            #expect(bad.status == .unprocessableEntity)
            #expect(
                bad.text
                    == #"{"detail":[{"type":"less_than_equal","loc":["query","i8"],"msg":"Input should be less than or equal to 127","input":"128","ctx":{"le":127}},{"type":"greater_than_equal","loc":["query","u8"],"msg":"Input should be greater than or equal to 0","input":"-1","ctx":{"ge":0}}]}"#
            )
        }
    }

    @Test("Date, Float, optionals, defaults and repeated keys")
    func otherTypes() async throws {
        let app = makeApp()
        app.get(
            "/misc", Query<Date>("at"), Query<Float>("ratio", default: 0.5), Query<String?>("q"),
            Query<[String]?>("tag"), Query<[Int]>("n", .minItems(2))
        ) { (at: Date, ratio: Float, q: String?, tags: [String]?, numbers: [Int]) async -> MiscOut in
            MiscOut(at: at.timeIntervalSince1970, ratio: ratio, q: q, tags: tags, n: numbers)
        }
        try await TestClient.run(app) { client async throws in
            let ok = try await client.get("/misc?at=2024-05-06T07:08:09%2B02:00&n=1&n=2&tag=x&tag=y+z")
            #expect(ok.text == #"{"at":1714972089.0,"ratio":0.5,"q":null,"tags":["x","y z"],"n":[1,2]}"#)
            let tooFew = try await client.get("/misc?at=0&n=1")
            #expect(
                tooFew.text
                    == #"{"detail":[{"type":"too_short","loc":["query","n"],"msg":"List should have at least 2 items after validation, not 1","input":["1"],"ctx":{"field_type":"List","min_length":2,"actual_length":1}}]}"#
            )
            let badDate = try await client.get("/misc?at=tomorrow-x&n=1&n=2")
            #expect(
                badDate.text
                    == #"{"detail":[{"type":"datetime_from_date_parsing","loc":["query","at"],"msg":"Input should be a valid datetime or date, invalid character in year","input":"tomorrow-x","ctx":{"error":"invalid character in year"}}]}"#
            )
        }
    }

    @Test("an alias replaces the name: the name itself is not accepted")
    func queryAlias() async throws {
        let app = makeApp()
        app.get("/alias", Query<Int>("item_query", alias: "item-query")) { value async in value }
        try await TestClient.run(app) { client async throws in
            #expect(try await client.get("/alias?item-query=3").text == "3")
            let response = try await client.get("/alias?item_query=3")
            #expect(response.status == .unprocessableEntity)
            #expect(
                response.text
                    == #"{"detail":[{"type":"missing","loc":["query","item-query"],"msg":"Field required","input":null}]}"#)
        }
    }

    @Test("header names convert underscores unless told not to; lookup ignores case")
    func headerNames() async throws {
        let app = makeApp()
        app.get("/h", Header<String>("x_token"), Header<String?>("x_raw", convertUnderscores: false)) { token, raw async in
            ["token": token, "raw": raw ?? "none"]
        }
        try await TestClient.run(app) { client async throws in
            let ok = try await client.get("/h", headers: ["X-TOKEN": "abc", "x_raw": "r"])
            #expect(ok.text == #"{"raw":"r","token":"abc"}"#)
            let missing = try await client.get("/h", headers: ["x_token": "abc"])
            #expect(
                missing.text
                    == #"{"detail":[{"type":"missing","loc":["header","x-token"],"msg":"Field required","input":null}]}"#)
        }
    }

    @Test("a JSON body reports every bad field with its full loc, through nested objects, arrays and dictionaries")
    func nestedBodyErrors() async throws {
        let app = makeApp()
        app.post("/nested", Body<Nested>()) { _ async in "ok" }
        try await TestClient.run(app) { client async throws in
            let response = try await client.post(
                "/nested", json: #"{"lines":[{"sku":"a","qty":1},{"sku":2,"qty":"x"},{}],"meta":{"a":1,"b":"z"},"flag":"perhaps"}"#)
            #expect(response.status == .unprocessableEntity)
            #expect(
                response.text
                    == #"{"detail":[{"type":"string_type","loc":["body","lines",1,"sku"],"msg":"Input should be a valid string","input":2},{"type":"int_parsing","loc":["body","lines",1,"qty"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"x"},{"type":"missing","loc":["body","lines",2,"sku"],"msg":"Field required","input":{}},{"type":"missing","loc":["body","lines",2,"qty"],"msg":"Field required","input":{}},{"type":"int_parsing","loc":["body","meta","b"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"z"},{"type":"bool_parsing","loc":["body","flag"],"msg":"Input should be a valid boolean, unable to interpret input","input":"perhaps"}]}"#
            )
            let wrongShape = try await client.post("/nested", json: #"{"lines":{"a":1},"meta":[1]}"#)
            #expect(
                wrongShape.text
                    == #"{"detail":[{"type":"list_type","loc":["body","lines"],"msg":"Input should be a valid list","input":{"a":1}},{"type":"dict_type","loc":["body","meta"],"msg":"Input should be a valid dictionary","input":[1]}]}"#
            )
        }
    }

    @Test("bad bodies never crash: invalid UTF-8 is 400, deep nesting is a json_invalid 422")
    func hostileBodies() async throws {
        let app = makeApp()
        app.post("/nested", Body<Nested>()) { _ async in "ok" }
        try await TestClient.run(app, mode: .live) { client async throws in
            var invalid = ByteBuffer(string: #"{"lines": ""#)
            invalid.writeBytes([0xFF, 0xFE])
            invalid.writeString(#""}"#)
            let notUTF8 = try await client.post("/nested", body: invalid, headers: ["content-type": "application/json"])
            #expect(notUTF8.status == .badRequest)
            #expect(notUTF8.text == #"{"detail":"There was an error parsing the body"}"#)

            let deep = String(repeating: "[", count: 100_000)
            let tooDeep = try await client.post("/nested", json: deep)
            #expect(tooDeep.status == .unprocessableEntity)
            #expect(tooDeep.text.contains(#""type":"json_invalid""#))
            #expect(try await client.post("/nested", json: #"{"lines":[],"meta":{}}"#).text == #""ok""#)
        }
    }
}

@Suite("Request and optional bodies", .timeLimit(.minutes(1)))
struct RequestParameterTests {
    @Test(".request gives the handler the raw request")
    func rawRequest() async throws {
        let app = makeApp()
        app.post("/raw/{id}", .request, Path<Int>("id")) { request, id async in
            PlainText("\(request.method) \(request.path) \(request.query ?? "-") \(request.headers.first(name: "x-a") ?? "-") \(request.body?.readableBytes ?? 0) \(id)")
        }
        try await TestClient.run(app) { client async throws in
            let response = try await client.post("/raw/7?x=1", body: ByteBuffer(string: "abc"), headers: ["x-a": "b"])
            #expect(response.status == .ok)
            #expect(response.text == "POST /raw/7 x=1 b 3 7")
        }
    }

    @Test("an optional body is nil when absent; a required one is missing")
    func optionalBody() async throws {
        let app = makeApp()
        app.post("/opt", Body<Message?>()) { message async in message?.message ?? "none" }
        app.post("/req", Body<Message>()) { message async in message.message }
        try await TestClient.run(app) { client async throws in
            #expect(try await client.post("/opt", body: nil).text == #""none""#)
            #expect(try await client.post("/opt", json: #"{"message":"hi"}"#).text == #""hi""#)
            #expect(try await client.post("/opt", json: "null").text == #""none""#)
            let missing = try await client.post("/req", body: nil)
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.text == #"{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}"#)
        }
    }
}

@Suite("Dates beyond pydantic's range", .timeLimit(.minutes(1)))
struct DateRangeTests {
    @Test("Unix times past year 9999 or before year 1 are refused in pydantic's words (found by schemathesis)")
    func outOfRange() async throws {
        struct Event: Codable, Sendable { var at: Date }
        let app = makeApp()
        app.post("/events", Body<Event>()) { event async in event }
        app.get("/since", Query<Date>("t")) { date async in date.timeIntervalSince1970 }
        try await TestClient.run(app) { client async throws in
            let late = try await client.post("/events", json: #"{"at":150113998572156608}"#)
            #expect(late.status == .unprocessableEntity)
            #expect(
                late.text
                    == #"{"detail":[{"type":"datetime_parsing","loc":["body","at"],"msg":"Input should be a valid datetime, dates after 9999 are not supported as unix timestamps","input":150113998572156608}]}"#
            )
            let early = try await client.get("/since?t=-62135596801000")
            #expect(early.text.contains(#""msg":"Input should be a valid datetime, year 0 is out of range""#))
            #expect(try await client.get("/since?t=253402300799999").status == .ok)
        }
    }
}

/// Constraints on body parameters, compared with FastAPI 0.165 (`Tests/Conformance/fastapi_body_constraints.py`).
@Suite("Body constraints")
struct BodyConstraintTests {
    struct Named: Codable, Sendable { var name: String }

    static func makeApp() -> App {
        let app = App(title: "Body constraints")
        app.post(
            "/items", name: "create", Body<Named>("item"), Body<Int>("importance", .greaterThan(0)),
            Body<[String]>("tags", default: [], .maxItems(2))
        ) { item, importance, tags async in
            JSONValue.object([("name", .string(item.name)), ("importance", .int(Int64(importance))), ("tags", .array(tags.map { .string($0) }))])
        }
        return app
    }

    @Test("a scalar or list body parameter's constraints are checked and documented, as FastAPI's")
    func constrainedBodies() async throws {
        try await TestClient.run(Self.makeApp()) { client in
            let good = try await client.post("/items", json: #"{"item":{"name":"a"},"importance":5}"#)
            #expect(good.status == .ok)
            #expect(good.text == #"{"name":"a","importance":5,"tags":[]}"#)
            let bad = try await client.post("/items", json: #"{"item":{"name":"a"},"importance":0,"tags":["a","b","c"]}"#)
            #expect(bad.status == .unprocessableEntity)
            #expect(
                bad.text
                    == #"{"detail":[{"type":"greater_than","loc":["body","importance"],"msg":"Input should be greater than 0","input":0,"ctx":{"gt":0}},{"type":"too_long","loc":["body","tags"],"msg":"List should have at most 2 items after validation, not 3","input":["a","b","c"],"ctx":{"field_type":"List","max_length":2,"actual_length":3}}]}"#
            )
        }
        let schema = try Self.makeApp().openAPIDocument()["components"]?["schemas"]?["Body_create_items_post"]
        #expect(schema?["properties"]?["importance"] == ["type": "integer", "format": "int64", "exclusiveMinimum": 0.0, "title": "Importance"])
        #expect(schema?["properties"]?["tags"] == ["type": "array", "items": ["type": "string"], "maxItems": 2, "default": [], "title": "Tags"])
    }

    @Test("a body constraint that does not fit the type is a registration error")
    func misfit() {
        let app = App()
        app.post("/items", Body<String>("name", .greaterThan(0))) { name async in name }
        #expect(throws: RouteConfigurationError.self) { try app.openAPIDocument() }
    }
}
