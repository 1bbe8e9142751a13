import Apus
import ApusTesting
import Testing

@Suite("Documentation pages", .timeLimit(.minutes(1)))
struct DocsPagesTests {
    @Test("/docs serves Swagger UI 5 for the app's document, as FastAPI's page")
    func swaggerUI() async throws {
        try await TestClient.run(OpenAPIConformance.app()) { client async throws in
            let page = try await client.get("/docs")
            #expect(page.status == .ok)
            #expect(page.header("content-type") == "text/html; charset=utf-8")
            #expect(page.text.contains("<title>Conformance - Swagger UI</title>"))
            #expect(page.text.contains(#"<script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"></script>"#))
            #expect(page.text.contains(#"href="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css""#))
            #expect(page.text.contains("url: '/openapi.json',"))
            #expect(page.text.contains("oauth2RedirectUrl: window.location.origin + '/docs/oauth2-redirect',"))
            let redirect = try await client.get("/docs/oauth2-redirect")
            #expect(redirect.status == .ok)
            #expect(redirect.header("content-type") == "text/html; charset=utf-8")
            #expect(redirect.text.contains("<title>Swagger UI: OAuth2 Redirect</title>"))
            #expect(redirect.text.contains("window.opener.swaggerUIRedirectOauth2"))
        }
    }

    @Test("/redoc serves ReDoc 2")
    func redoc() async throws {
        try await TestClient.run(OpenAPIConformance.app()) { client async throws in
            let page = try await client.get("/redoc")
            #expect(page.status == .ok)
            #expect(page.header("content-type") == "text/html; charset=utf-8")
            #expect(page.text.contains("<title>Conformance - ReDoc</title>"))
            #expect(page.text.contains(#"<redoc spec-url="/openapi.json"></redoc>"#))
            #expect(page.text.contains(#"<script src="https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js"> </script>"#))
        }
    }

    @Test("the pages answer GET and HEAD only")
    func methods() async throws {
        try await TestClient.run(OpenAPIConformance.app()) { client async throws in
            for path in ["/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect"] {
                let head = try await client.head(path)
                #expect(head.status == .ok)
                #expect(head.body.readableBytes == 0)
                let post = try await client.post(path, json: "{}")
                #expect(post.status == .methodNotAllowed)
                #expect(post.header("allow") == "GET, HEAD")
                #expect(post.text == #"{"detail":"Method Not Allowed"}"#)
            }
        }
    }

    @Test("asset URLs are configurable for offline deployments; a title with markup is escaped")
    func selfHostedAssets() async throws {
        var docs = DocsConfiguration()
        docs.swaggerUIJavaScriptURL = "/assets/swagger-ui-bundle.js"
        docs.swaggerUICSSURL = "/assets/swagger-ui.css"
        docs.redocJavaScriptURL = "/assets/redoc.standalone.js"
        docs.faviconURL = "/assets/favicon.png"
        docs.redocUsesGoogleFonts = false
        docs.openAPIURL = "/api/schema.json"
        let app = App(title: "Tom & <Jerry>", docs: docs)
        try await TestClient.run(app) { client async throws in
            let swagger = try await client.get("/docs")
            #expect(swagger.text.contains(#"<script src="/assets/swagger-ui-bundle.js"></script>"#))
            #expect(swagger.text.contains(#"href="/assets/swagger-ui.css""#))
            #expect(swagger.text.contains(#"<link rel="shortcut icon" href="/assets/favicon.png">"#))
            #expect(swagger.text.contains("url: '/api/schema.json',"))
            #expect(swagger.text.contains("<title>Tom &amp; &lt;Jerry&gt; - Swagger UI</title>"))
            let redoc = try await client.get("/redoc")
            #expect(redoc.text.contains(#"<script src="/assets/redoc.standalone.js"> </script>"#))
            #expect(!redoc.text.contains("fonts.googleapis.com"))
            #expect(try await client.get("/api/schema.json").status == .ok)
            #expect(try await client.get("/openapi.json").status == .notFound)
        }
    }

    @Test("openAPIURL nil removes the document and both pages")
    func disabled() async throws {
        var docs = DocsConfiguration()
        docs.openAPIURL = nil
        let app = App(docs: docs)
        app.get("/") { "up" }
        try await TestClient.run(app) { client async throws in
            for path in ["/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect"] {
                let response = try await client.get(path)
                #expect(response.status == .notFound)
                #expect(response.text == #"{"detail":"Not Found"}"#)
            }
        }
    }
}
