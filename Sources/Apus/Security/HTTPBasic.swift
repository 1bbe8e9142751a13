import Foundation

/// The user name and password of HTTP Basic authentication.
public struct HTTPBasicCredentials: Sendable, Equatable, Codable {
    public var username: String
    public var password: String
}

/// `Authorization: Basic base64(user:password)` (FastAPI's `HTTPBasic`). The 401 carries
/// `WWW-Authenticate: Basic` (with `realm="..."` when given), which makes browsers ask.
/// Malformed credentials (not base64, no `:`) are a 401 even for the ``optional`` scheme.
public struct HTTPBasic: SecurityScheme {
    public typealias Value = HTTPBasicCredentials

    public let schemeName: String
    public let realm: String?
    public let description: String?

    /// Creates the scheme.
    public init(schemeName: String = "HTTPBasic", realm: String? = nil, description: String? = nil) {
        self.schemeName = schemeName
        self.realm = realm
        self.description = description
    }

    public var openAPIDefinition: JSONValue {
        var definition: JSONValue = ["type": "http", "scheme": "basic"]
        if let description { definition.set("description", .string(description)) }
        return definition
    }

    public func authenticate(_ context: ExtractionContext) -> SecurityOutcome<HTTPBasicCredentials> {
        let challenge = self.realm.map { "Basic realm=\"\($0)\"" } ?? "Basic"
        guard let (scheme, parameter) = authorizationSchemeAndParameter(context.request), scheme.lowercased() == "basic" else {
            return .missing(notAuthenticated(challenge))
        }
        // Python's b64decode drops characters outside the alphabet before decoding.
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")
        let cleaned = String(parameter.filter { alphabet.contains($0) })
        guard let data = Data(base64Encoded: cleaned), data.allSatisfy({ $0 < 0x80 }),
            let decoded = String(data: data, encoding: .ascii), let colon = decoded.firstIndex(of: ":")
        else {
            return .invalid(notAuthenticated(challenge))
        }
        return .authenticated(
            HTTPBasicCredentials(username: String(decoded[..<colon]), password: String(decoded[decoded.index(after: colon)...])))
    }
}
