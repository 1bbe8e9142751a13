// A user's package declares a model with `import Apus` alone: what `@Model` expands to uses
// only Apus's public API (this target has no package access).
public import Apus
import ApusTesting
import Testing

@Model(description: "A public model.", keys: .snakeCase)
public struct PublicOrder {
    @Field(description: "How many", .greaterThanOrEqual(1)) public var quantity: Int
    public var giftWrap: Bool = false
}

@Suite("@Model from a user's package")
struct ModelMacroUseTests {
    @Test("a public @Model decodes with its defaults and reports its constraint's error")
    func publicModel() async throws {
        let app = App()
        app.post("/orders", Body<PublicOrder>()) { order async in order }
        try await TestClient.run(app) { client in
            let ok = try await client.post("/orders", json: #"{"quantity":2}"#)
            #expect(ok.status == .ok)
            #expect(ok.text == #"{"quantity":2,"gift_wrap":false}"#)
            let bad = try await client.post("/orders", json: #"{"quantity":0,"gift_wrap":true}"#)
            #expect(bad.status == .unprocessableEntity)
            #expect(
                bad.text
                    == #"{"detail":[{"type":"greater_than_equal","loc":["body","quantity"],"msg":"Input should be greater than or equal to 1","input":0,"ctx":{"ge":1}}]}"#
            )
        }
    }
}
