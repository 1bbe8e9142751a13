import Apus
import ApusTesting
import Testing

enum TenantKey: RequestStateKey { typealias Value = String }
enum AuditKey: RequestStateKey { typealias Value = [String] }

/// Sets the tenant, and after the handler reports what the request's dependency recorded.
struct TenantMiddleware: Middleware {
    func respond(to request: Request, next: MiddlewareNext) async throws -> Response {
        request.state[TenantKey.self] = request.headers.first(name: "x-tenant") ?? "public"
        var response = try await next(request)
        response.headers.add(name: "x-audit", value: (request.state[AuditKey.self] ?? []).joined(separator: ","))
        return response
    }
}

/// `request.state`: typed storage shared by middleware, dependencies and the handler.
@Suite("Request state")
struct RequestStateTests {
    @Test("middleware, a dependency and the handler share one request's state; requests do not")
    func shared() async throws {
        let audit = Dependency(.request) { (request: Request) async in
            request.state[AuditKey.self] = ["checked \(request.state[TenantKey.self] ?? "?")"]
            return true
        }
        let app = makeApp()
        app.addMiddleware(TenantMiddleware())
        app.get("/tenant", .request, Depends(audit)) { (request: Request, _: Bool) async -> [String: String] in
            let tenant: String = request.state[TenantKey.self] ?? "none"
            let audit: String = request.state[AuditKey.self]?.first ?? "none"
            return ["tenant": tenant, "audit": audit]
        }
        try await TestClient.run(app) { client in
            let acme = try await client.get("/tenant", headers: ["x-tenant": "acme"])
            #expect(acme.status == .ok)
            #expect(acme.text == #"{"audit":"checked acme","tenant":"acme"}"#)
            #expect(acme.header("x-audit") == "checked acme")
            let other = try await client.get("/tenant")
            #expect(other.text == #"{"audit":"checked public","tenant":"public"}"#)
        }
    }

    @Test("an absent key reads nil; a copy of a request shares its state")
    func values() {
        let request = Request(method: .GET, uri: "/")
        #expect(request.state[TenantKey.self] == nil)
        let copy = request
        copy.state[TenantKey.self] = "x"
        #expect(request.state[TenantKey.self] == "x")
        request.state[TenantKey.self] = nil
        #expect(copy.state[TenantKey.self] == nil)
    }
}
