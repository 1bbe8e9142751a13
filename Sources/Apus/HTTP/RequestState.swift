import Synchronization

/// A key of ``RequestState``: its type names the entry and says what it holds.
///
/// ```swift
/// enum TenantKey: RequestStateKey { typealias Value = String }
/// ```
public protocol RequestStateKey {
    /// What the entry holds.
    associatedtype Value: Sendable
}

/// Per-request storage that middleware, dependencies and the handler share (Starlette's
/// `request.state`), with typed keys instead of attribute names and `Any` casts.
///
/// ```swift
/// enum TenantKey: RequestStateKey { typealias Value = String }
///
/// struct TenantMiddleware: Middleware {
///     func respond(to request: Request, next: MiddlewareNext) async throws -> Response {
///         request.state[TenantKey.self] = request.headers.first(name: "x-tenant") ?? "public"
///         return try await next(request)
///     }
/// }
///
/// // The parameter's type is written out: Swift 6.3 cannot infer it through `??` on a generic subscript.
/// app.get("/tenant", .request) { (request: Request) async in request.state[TenantKey.self] ?? "none" }
/// ```
///
/// Every copy of a ``Request`` shares its state: what a dependency stores, the handler and
/// the middleware (after `next` returns) read.
public final class RequestState: Sendable {
    private let values = Mutex<[ObjectIdentifier: any Sendable]>([:])

    init() {}

    /// The value stored under `key`, or `nil`.
    public subscript<Key: RequestStateKey>(key: Key.Type) -> Key.Value? {
        get { self.values.withLock { $0[ObjectIdentifier(key)] } as? Key.Value }
        set { self.values.withLock { $0[ObjectIdentifier(key)] = newValue } }
    }
}
