/// An API key in a header (FastAPI's `APIKeyHeader`); an empty value is a missing key.
public struct APIKeyHeader: SecurityScheme {
    public typealias Value = String

    public let name: String
    public let schemeName: String
    public let description: String?

    /// Reads the header `name` (case-insensitive).
    public init(name: String, schemeName: String = "APIKeyHeader", description: String? = nil) {
        self.name = name
        self.schemeName = schemeName
        self.description = description
    }

    public var openAPIDefinition: JSONValue { apiKeyDefinition(in: "header", name: self.name, description: self.description) }

    public func authenticate(_ context: ExtractionContext) -> SecurityOutcome<String> {
        apiKeyOutcome(context.request.headers.first(name: self.name))
    }
}

/// An API key in the query (FastAPI's `APIKeyQuery`); an empty value is a missing key.
public struct APIKeyQuery: SecurityScheme {
    public typealias Value = String

    public let name: String
    public let schemeName: String
    public let description: String?

    /// Reads the query key `name`.
    public init(name: String, schemeName: String = "APIKeyQuery", description: String? = nil) {
        self.name = name
        self.schemeName = schemeName
        self.description = description
    }

    public var openAPIDefinition: JSONValue { apiKeyDefinition(in: "query", name: self.name, description: self.description) }

    public func authenticate(_ context: ExtractionContext) -> SecurityOutcome<String> {
        apiKeyOutcome(context.queryValues(self.name).last)
    }
}

/// An API key in a cookie (FastAPI's `APIKeyCookie`); an empty value is a missing key.
public struct APIKeyCookie: SecurityScheme {
    public typealias Value = String

    public let name: String
    public let schemeName: String
    public let description: String?

    /// Reads the cookie `name`.
    public init(name: String, schemeName: String = "APIKeyCookie", description: String? = nil) {
        self.name = name
        self.schemeName = schemeName
        self.description = description
    }

    public var openAPIDefinition: JSONValue { apiKeyDefinition(in: "cookie", name: self.name, description: self.description) }

    public func authenticate(_ context: ExtractionContext) -> SecurityOutcome<String> {
        apiKeyOutcome(context.cookieValues(self.name).last)
    }
}

func apiKeyDefinition(in location: String, name: String, description: String?) -> JSONValue {
    var definition: JSONValue = ["type": "apiKey", "in": .string(location), "name": .string(name)]
    if let description { definition.set("description", .string(description)) }
    return definition
}

func apiKeyOutcome(_ value: String?) -> SecurityOutcome<String> {
    guard let value, !value.isEmpty else { return .missing(notAuthenticated("APIKey")) }
    return .authenticated(value)
}
