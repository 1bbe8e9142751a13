/// The scheme and credentials of an `Authorization` header.
public struct HTTPAuthorizationCredentials: Sendable, Equatable, Codable {
    /// The scheme as the client sent it (`Bearer`, `bearer`...).
    public var scheme: String
    /// What follows the scheme, trimmed.
    public var credentials: String
}

/// `Authorization: Bearer <credentials>` (FastAPI's `HTTPBearer`): unlike
/// ``OAuth2PasswordBearer``, empty credentials are missing credentials.
public struct HTTPBearer: SecurityScheme {
    public typealias Value = HTTPAuthorizationCredentials

    public let schemeName: String
    public let bearerFormat: String?
    public let description: String?

    /// Creates the scheme.
    public init(schemeName: String = "HTTPBearer", bearerFormat: String? = nil, description: String? = nil) {
        self.schemeName = schemeName
        self.bearerFormat = bearerFormat
        self.description = description
    }

    public var openAPIDefinition: JSONValue {
        var definition: JSONValue = ["type": "http", "scheme": "bearer"]
        if let bearerFormat { definition.set("bearerFormat", .string(bearerFormat)) }
        if let description { definition.set("description", .string(description)) }
        return definition
    }

    public func authenticate(_ context: ExtractionContext) -> SecurityOutcome<HTTPAuthorizationCredentials> {
        guard let (scheme, credentials) = authorizationSchemeAndParameter(context.request), !scheme.isEmpty, !credentials.isEmpty,
            scheme.lowercased() == "bearer"
        else {
            return .missing(notAuthenticated("Bearer"))
        }
        return .authenticated(HTTPAuthorizationCredentials(scheme: scheme, credentials: credentials))
    }
}
