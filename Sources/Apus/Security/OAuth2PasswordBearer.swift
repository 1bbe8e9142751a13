/// OAuth2's password flow with bearer tokens: reads `Authorization: Bearer <token>` and gives
/// the token (FastAPI's `OAuth2PasswordBearer`). `tokenURL` is where clients (and Swagger
/// UI's "Authorize" dialog) post an ``OAuth2PasswordRequestForm`` to get a token.
///
/// ```swift
/// let oauth2 = OAuth2PasswordBearer(tokenURL: "token", scopes: ["items": "Read items"])
/// ```
///
/// As FastAPI's: the scheme name is compared without case, the token is what follows the
/// first space, trimmed, and `Bearer` alone gives an empty token.
public struct OAuth2PasswordBearer: SecurityScheme {
    public typealias Value = String

    public let tokenURL: String
    public let scopes: [(name: String, description: String)]
    public let schemeName: String
    public let description: String?

    /// Creates the scheme.
    public init(
        tokenURL: String, schemeName: String = "OAuth2PasswordBearer", scopes: KeyValuePairs<String, String> = [:],
        description: String? = nil
    ) {
        self.tokenURL = tokenURL
        self.schemeName = schemeName
        self.scopes = scopes.map { ($0.key, $0.value) }
        self.description = description
    }

    public var openAPIDefinition: JSONValue {
        let scopes = JSONValue.object(self.scopes.map { ($0.name, .string($0.description)) })
        var definition: JSONValue = ["type": "oauth2", "flows": ["password": ["scopes": scopes, "tokenUrl": .string(self.tokenURL)]]]
        if let description { definition.set("description", .string(description)) }
        return definition
    }

    public func authenticate(_ context: ExtractionContext) -> SecurityOutcome<String> {
        guard let (scheme, token) = authorizationSchemeAndParameter(context.request), scheme.lowercased() == "bearer" else {
            return .missing(notAuthenticated("Bearer"))
        }
        return .authenticated(token)
    }
}
