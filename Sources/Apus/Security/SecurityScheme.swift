import Foundation

/// A way for a client to prove who it is, read from the request (FastAPI's
/// `fastapi.security` classes): ``OAuth2PasswordBearer``, ``HTTPBearer``, ``HTTPBasic``,
/// ``APIKeyHeader``, ``APIKeyQuery`` and ``APIKeyCookie``.
///
/// A scheme is a parameter: use it in a handler or, usually, in the dependency that turns
/// its credentials into a user. Missing or malformed credentials end the request with
/// FastAPI's 401 `{"detail":"Not authenticated"}` and its `WWW-Authenticate` header, before
/// any validation error (as FastAPI, which runs the scheme first); ``optional`` gives `nil`
/// instead (FastAPI's `auto_error=False`). Each scheme appears in the OpenAPI document's
/// `components.securitySchemes` and in the `security` of every operation that uses it.
///
/// ```swift
/// let oauth2 = OAuth2PasswordBearer(tokenURL: "token")
/// let currentUser = Dependency(oauth2) { token in try users.find(token: token) }
/// ```
public protocol SecurityScheme: RequestParameter where Value == Credentials {
    /// The credentials the handler (or the dependency) receives; inferred from ``authenticate(_:)``.
    associatedtype Credentials: Sendable
    /// The scheme's name in the OpenAPI document (by default the type's name, as in FastAPI).
    var schemeName: String { get }
    /// The OpenAPI security scheme object.
    var openAPIDefinition: JSONValue { get }
    /// Reads the credentials of the request.
    func authenticate(_ context: ExtractionContext) -> SecurityOutcome<Credentials>
}

/// What a ``SecurityScheme`` found in a request.
public enum SecurityOutcome<Credentials: Sendable>: Sendable {
    /// Credentials of the expected form.
    case authenticated(Credentials)
    /// No credentials, or not of this scheme: a 401, or `nil` for an ``SecurityScheme/optional`` scheme.
    case missing(HTTPError)
    /// Credentials of this scheme but malformed: a 401 even for an optional scheme (as FastAPI's `HTTPBasic`).
    case invalid(HTTPError)
}

extension SecurityScheme {
    @_documentation(visibility: internal)
    public var info: ParameterInfo {
        var info = ParameterInfo(location: .other, name: self.schemeName, isRequired: true)
        info.securityScheme = (self.schemeName, self.openAPIDefinition)
        return info
    }

    @_documentation(visibility: internal)
    public func extract(from context: ExtractionContext) -> Value? {
        switch self.authenticate(context) {
        case .authenticated(let credentials): return credentials
        case .missing(let error), .invalid(let error):
            context.fail(with: error)
            return nil
        }
    }

    /// The scheme without its automatic error: `nil` when credentials are missing (FastAPI's `auto_error=False`).
    public var optional: OptionalSecurityScheme<Self> { OptionalSecurityScheme(scheme: self) }
}

/// A ``SecurityScheme`` that gives `nil` instead of a 401 when credentials are missing.
public struct OptionalSecurityScheme<Scheme: SecurityScheme>: RequestParameter {
    let scheme: Scheme

    @_documentation(visibility: internal)
    public var info: ParameterInfo {
        var info = self.scheme.info
        info.isRequired = false
        return info
    }

    @_documentation(visibility: internal)
    public func extract(from context: ExtractionContext) -> Scheme.Value?? {
        switch self.scheme.authenticate(context) {
        case .authenticated(let credentials): return .some(credentials)
        case .missing: return .some(nil)
        case .invalid(let error):
            context.fail(with: error)
            return nil
        }
    }
}

/// FastAPI's 401 for missing credentials.
func notAuthenticated(_ challenge: String) -> HTTPError {
    HTTPError(.unauthorized, detail: "Not authenticated", headers: ["www-authenticate": challenge])
}

/// FastAPI's `get_authorization_scheme_param`: the `Authorization` header split at its first
/// space, the parameter trimmed; `nil` without the header.
func authorizationSchemeAndParameter(_ request: Request) -> (scheme: String, parameter: String)? {
    guard let value = request.headers.first(name: "authorization"), !value.isEmpty else { return nil }
    guard let space = value.firstIndex(of: " ") else { return (value, "") }
    let parameter = value[value.index(after: space)...].trimmingCharacters(in: .whitespaces)
    return (String(value[..<space]), parameter)
}
