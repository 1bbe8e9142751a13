/// Where an app serves its OpenAPI document and interactive documentation, and where the
/// documentation pages load Swagger UI and ReDoc from.
///
/// By default, as FastAPI: `/openapi.json`, Swagger UI at `/docs` (with
/// `/docs/oauth2-redirect`) and ReDoc at `/redoc`, assets from the jsDelivr CDN. An offline
/// deployment points the asset URLs at its own copies:
///
/// ```swift
/// var docs = DocsConfiguration()
/// docs.swaggerUIJavaScriptURL = "/static/swagger-ui-bundle.js"
/// docs.swaggerUICSSURL = "/static/swagger-ui.css"
/// let app = App(title: "Inventory", docs: docs)
/// ```
///
/// Setting ``openAPIURL`` to `nil` removes the document and both pages.
public struct DocsConfiguration: Sendable {
    /// The URL of the OpenAPI document; `nil` disables it and the documentation pages.
    public var openAPIURL: String? = "/openapi.json"
    /// The URL of the Swagger UI page; `nil` disables it.
    public var swaggerUIURL: String? = "/docs"
    /// The URL of Swagger UI's OAuth2 redirect page; `nil` disables it.
    public var oauth2RedirectURL: String? = "/docs/oauth2-redirect"
    /// The URL of the ReDoc page; `nil` disables it.
    public var redocURL: String? = "/redoc"
    /// Swagger UI's script.
    public var swaggerUIJavaScriptURL = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"
    /// Swagger UI's style sheet.
    public var swaggerUICSSURL = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css"
    /// ReDoc's script.
    public var redocJavaScriptURL = "https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js"
    /// The pages' icon.
    public var faviconURL = "https://fastapi.tiangolo.com/img/favicon.png"
    /// Whether the ReDoc page loads Google's fonts.
    public var redocUsesGoogleFonts = true

    /// The default configuration.
    /// Whether the documentation pages reload themselves when the OpenAPI document changes
    /// (they fetch it every second): `apus dev` turns it on, so an open `/docs` tab follows edits.
    public var reloadsOnChange = false

    public init() {}

    /// Loads the pages' assets from `baseURL` instead of the CDN: `swagger-ui-bundle.js`,
    /// `swagger-ui.css`, `redoc.standalone.js` and `favicon.png` (the files of the npm packages
    /// `swagger-ui-dist@5` and `redoc@2`), and drops ReDoc's Google fonts.
    ///
    /// `App.run()` applies it from `--docs-assets-url` or `DOCS_ASSETS_URL`.
    public mutating func loadAssets(from baseURL: String) {
        let base = baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
        self.swaggerUIJavaScriptURL = base + "swagger-ui-bundle.js"
        self.swaggerUICSSURL = base + "swagger-ui.css"
        self.redocJavaScriptURL = base + "redoc.standalone.js"
        self.faviconURL = base + "favicon.png"
        self.redocUsesGoogleFonts = false
    }
}
