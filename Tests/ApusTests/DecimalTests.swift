import Apus
import ApusTesting
import Foundation
import Testing

@Model
struct Price {
    var amount: Decimal
}

/// `Decimal` as pydantic reads it and as FastAPI's `jsonable_encoder` writes it (recorded from
/// FastAPI 0.165 by `Tests/Conformance/fastapi_decimal.py`): numbers and numeric strings in,
/// the exact digits as a JSON number out.
@Suite("Decimal")
struct DecimalTests {
    static func makeApp() -> App {
        let app = App(title: "Decimal")
        app.post("/prices", Body<Price>()) { price async in price }
        app.get("/raw") { ["a": Decimal(10), "b": Decimal(string: "1.50") ?? 0, "c": Decimal(string: "0.1") ?? 0] }
        app.get("/total", Query<Decimal>("amount", .greaterThan(0))) { amount async in ["doubled": amount * 2] }
        return app
    }

    @Test("a Decimal body field takes numbers and numeric strings and is written with its exact digits")
    func bodies() async throws {
        let answers = [
            #"{"amount":1.5}"#: #"{"amount":1.5}"#, #"{"amount":"10"}"#: #"{"amount":10}"#,
            #"{"amount":"1.50"}"#: #"{"amount":1.5}"#, #"{"amount":10}"#: #"{"amount":10}"#,
            #"{"amount":"1e3"}"#: #"{"amount":1000}"#, #"{"amount":0.1}"#: #"{"amount":0.1}"#,
            #"{"amount":"123456789012345678901234567.25"}"#: #"{"amount":123456789012345678901234567.25}"#,
        ]
        try await TestClient.run(Self.makeApp()) { client in
            for (body, answer) in answers {
                let response = try await client.post("/prices", json: body)
                #expect(response.status == .ok)
                #expect(response.headers == ["content-type": "application/json", "content-length": "\(answer.utf8.count)"])
                #expect(response.text == answer, "\(body)")
            }
            #expect(try await client.get("/raw").text == #"{"a":10,"b":1.5,"c":0.1}"#)
        }
    }

    @Test("a bad Decimal is pydantic's decimal_parsing or decimal_type")
    func errors() async throws {
        try await TestClient.run(Self.makeApp()) { client in
            let text = try await client.post("/prices", json: #"{"amount":"x"}"#)
            #expect(text.status == .unprocessableEntity)
            #expect(
                text.text
                    == #"{"detail":[{"type":"decimal_parsing","loc":["body","amount"],"msg":"Input should be a valid decimal","input":"x"}]}"#)
            let partial = try await client.post("/prices", json: #"{"amount":"1.5abc"}"#)
            #expect(partial.status == .unprocessableEntity)
            let bool = try await client.post("/prices", json: #"{"amount":true}"#)
            #expect(
                bool.text
                    == #"{"detail":[{"type":"decimal_type","loc":["body","amount"],"msg":"Decimal input should be an integer, float, string or Decimal object","input":true}]}"#
            )
        }
    }

    @Test("a Decimal query parameter parses its text and takes number constraints")
    func query() async throws {
        try await TestClient.run(Self.makeApp()) { client in
            #expect(try await client.get("/total?amount=0.35").text == #"{"doubled":0.7}"#)
            let zero = try await client.get("/total?amount=0")
            #expect(
                zero.text
                    == #"{"detail":[{"type":"greater_than","loc":["query","amount"],"msg":"Input should be greater than 0","input":"0","ctx":{"gt":0.0}}]}"#)
            let bad = try await client.get("/total?amount=abc")
            #expect(
                bad.text == #"{"detail":[{"type":"decimal_parsing","loc":["query","amount"],"msg":"Input should be a valid decimal","input":"abc"}]}"#)
        }
    }
}
