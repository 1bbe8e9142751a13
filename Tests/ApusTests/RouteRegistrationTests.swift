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
}
