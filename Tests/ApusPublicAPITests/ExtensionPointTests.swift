// Compiled without package access (see Package.swift): only Apus's public API is
// visible here, as in a user's package. What these tests use, a user can use.
import Apus
import ApusTesting
import Testing

/// The `X-Tenant` header, which must name a known tenant: a parameter type of a user's own.
struct TenantHeader: RequestParameter {
    var info: ParameterInfo { ParameterInfo(location: .header, name: "x-tenant", isRequired: true) }

    func extract(from context: ExtractionContext) -> String? {
        guard let tenant = context.request.headers.first(name: "x-tenant") else {
            context.record(
                ValidationErrorDetail(type: "missing", loc: ["header", "x-tenant"], msg: "Field required", input: .null),
                from: .header)
            return nil
        }
        guard ["acme", "globex"].contains(tenant) else {
            context.fail(with: HTTPError(.forbidden, detail: "Unknown tenant"))
            return nil
        }
        return tenant
    }
}

/// A security scheme of a user's own: an `X-Signature` header, 401 with a challenge without it.
struct SignatureScheme: SecurityScheme {
    var schemeName: String { "Signature" }
    var openAPIDefinition: JSONValue { .object([("type", .string("apiKey")), ("in", .string("header")), ("name", .string("X-Signature"))]) }

    func authenticate(_ context: ExtractionContext) -> SecurityOutcome<String> {
        guard let signature = context.request.headers.first(name: "x-signature") else {
            return .missing(HTTPError(.unauthorized, detail: "Not signed", headers: ["www-authenticate": "Signature"]))
        }
        return .authenticated(signature)
    }
}

@Suite("The public extension points, used as a user's package uses them")
struct ExtensionPointTests {
    static func makeApp() -> App {
        let app = App(title: "Extensions")
        app.get("/reports", TenantHeader(), Query<Int>("page")) { tenant, page async in
            PlainText("\(tenant) page \(page)")
        }
        app.get("/signed", SignatureScheme(), .request) { signature, request async in
            PlainText("\(signature) for \(request.path)")
        }
        return app
    }

    @Test("a custom parameter's validation error joins the other parameters' in one 422, in FastAPI's order")
    func customValidationError() async throws {
        try await TestClient.run(Self.makeApp()) { client in
            let response = try await client.get("/reports?page=x")
            #expect(response.status == .unprocessableEntity)
            #expect(response.headers == ["content-type": "application/json", "content-length": "\(response.body.readableBytes)"])
            #expect(
                response.text
                    == #"{"detail":[{"type":"int_parsing","loc":["query","page"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"x"},{"type":"missing","loc":["header","x-tenant"],"msg":"Field required","input":null}]}"#
            )
            let ok = try await client.get("/reports?page=2", headers: ["x-tenant": "acme"])
            #expect(ok.status == .ok)
            #expect(ok.text == "acme page 2")
        }
    }

    @Test("a custom parameter can end the request with an HTTP error before any 422")
    func customFailure() async throws {
        try await TestClient.run(Self.makeApp()) { client in
            let response = try await client.get("/reports?page=x", headers: ["x-tenant": "initech"])
            #expect(response.status == .forbidden)
            #expect(response.headers == ["content-type": "application/json", "content-length": "27"])
            #expect(response.text == #"{"detail":"Unknown tenant"}"#)
        }
    }

    @Test("a custom security scheme answers 401 with its challenge and is documented")
    func customSecurityScheme() async throws {
        try await TestClient.run(Self.makeApp()) { client in
            let refused = try await client.get("/signed")
            #expect(refused.status == .unauthorized)
            #expect(refused.headers == ["www-authenticate": "Signature", "content-type": "application/json", "content-length": "23"])
            #expect(refused.text == #"{"detail":"Not signed"}"#)
            let signed = try await client.get("/signed", headers: ["x-signature": "abc"])
            #expect(signed.status == .ok)
            #expect(signed.text == "abc for /signed")
        }
        let document = try Self.makeApp().openAPIDocument()
        #expect(
            document["components"]?["securitySchemes"]?.jsonString
                == #"{"Signature":{"type":"apiKey","in":"header","name":"X-Signature"}}"#)
        #expect(document["paths"]?["/signed"]?["get"]?["security"]?.jsonString == #"[{"Signature":[]}]"#)
    }
}
