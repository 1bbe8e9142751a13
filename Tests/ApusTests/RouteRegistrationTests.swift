import Apus
import ApusTesting
import Foundation
import Testing

@Suite("Route registration")
struct RouteRegistrationTests {
    /// Registers the same routes on whatever takes routes.
    static func addHealthRoutes(to routes: some RouteRegistrar) {
        routes.get("/health") { PlainText("ok") }
    }

    @Test("an App and a Router take routes through the same RouteRegistrar methods")
    func appAndRouterRegisterAlike() async throws {
        let app = App()
        let internalRoutes = Router(prefix: "/internal")
        Self.addHealthRoutes(to: app)
        Self.addHealthRoutes(to: internalRoutes)
        app.include(internalRoutes)
        try await TestClient.run(app) { client in
            for path in ["/health", "/internal/health"] {
                let response = try await client.get(path)
                #expect(response.status == .ok)
                #expect(response.headers == ["content-type": "text/plain; charset=utf-8", "content-length": "2"])
                #expect(response.text == "ok")
            }
        }
    }

    /// The route's registration error, as `openAPIDocument()` (and `run()`) throws it.
    static func problem(_ register: (App) -> Void) -> String? {
        let app = App()
        register(app)
        do {
            _ = try app.openAPIDocument()
            return nil
        } catch {
            return error.description
        }
    }

    struct Plain: Sendable { var name: String }

    @Test("a handler whose return type is neither Encodable nor a response is a registration error; existentials are decided per value")
    func unencodableOutput() throws {
        let plain = makeApp()
        plain.get("/items/{id}", Path<Int>("id")) { id async in Plain(name: "\(id)") }
        do {
            _ = try plain.openAPIDocument()
            Issue.record("registered")
        } catch {
            #expect(
                error.description
                    == "route GET /items/{id}: the handler returns Plain, which is neither Encodable nor a ResponseConvertible: declare it with @Model (or make it Codable), or return a Response"
            )
        }
        let fine = makeApp()
        fine.get("/any") { () async -> any Encodable & Sendable in ["a": 1] }
        fine.get("/void") { () async in }
        fine.get("/json") { () async in JSONValue.object([("a", 1)]) }
        #expect(throws: Never.self) { try fine.openAPIDocument() }
    }

    @Test("a constraint that does not fit the parameter's type is a registration error naming the route")
    func misfitConstraints() {
        #expect(
            Self.problem { $0.get("/search", Query<String>("q", .greaterThan(3))) { q async in q } }
                == #"route GET /search: Query "q": .greaterThan applies to numbers, and the value is String"#)
        #expect(
            Self.problem { $0.get("/items", Header<Int?>("x_limit", .maxLength(3))) { limit async in "\(limit ?? 0)" } }
                == #"route GET /items: Header "x-limit": .maxLength applies to strings, and the value is Optional<Int>"#)
        #expect(
            Self.problem { $0.get("/items", Query<Int>("n", .minItems(1))) { n async in n } }
                == #"route GET /items: Query "n": .minItems applies to lists, and the value is Int"#)
        #expect(
            Self.problem { $0.get("/items/{id}", Path<UUID>("id", .maxLength(3))) { id async in id.uuidString } }
                == #"route GET /items/{id}: Path "id": .maxLength applies to strings, and the value is UUID"#)
        #expect(
            Self.problem { $0.post("/login", Form<Bool>("remember", .pattern("^y"))) { remember async in remember } }
                == #"route POST /login: Form "remember": .pattern applies to strings, and the value is Bool"#)
    }

    @Test("constraints that fit (items of a list, a list's length, an optional's value) register")
    func fittingConstraints() {
        #expect(
            Self.problem { app in
                app.get(
                    "/items", Query<[Int]>("id", default: [], .greaterThan(0), .maxItems(5)), Query<String?>("q", .maxLength(9)),
                    Header<Double>("x_ratio", .lessThan(1))
                ) { ids, q, ratio async in "\(ids) \(q ?? "") \(ratio)" }
            } == nil)
    }
}
