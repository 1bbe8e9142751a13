/// Declares that a handler (or a dependency) needs the value of a ``Dependency``: FastAPI's
/// `Depends(f)`. The argument is the dependency's value.
///
/// ```swift
/// app.get("/users/me", Depends(currentUser)) { user in user }
/// ```
///
/// `useCache: false` runs the dependency again for this use, even when another use in the
/// same request already ran it. `scope: .function` runs its teardown before the response is
/// sent, so that a teardown's error becomes the response (see ``DependencyScope``).
///
/// `maxConcurrency: n` lets at most `n` requests use the dependency at once (FastAPI 0.165's
/// `max_concurrency`): a connection pool of 10, a rate-limited API. A dependency with a
/// teardown holds its place until the teardown finished. Others wait in arrival order,
/// without a thread, for at most `maxWait`, then are answered 503 with `Retry-After: 1`. The
/// limit belongs to this `Depends` value: reuse one value to share it across routes.
///
/// ```swift
/// let database = Depends(session, maxConcurrency: 10)
/// app.get("/items", database) { session in try session.items() }
/// app.get("/users", database) { session in try session.users() }   // the same 10
/// ```
public struct Depends<Value: Sendable>: DependencyParameter {
    @_documentation(visibility: internal)
    public var info: ParameterInfo
    let dependency: Dependency<Value>
    let useCache: Bool
    /// When its teardown runs.
    let scope: DependencyScope
    /// How many requests may use it at once.
    package let limit: ConcurrencyLimit?
    /// OAuth2 scopes this use requires (``Security``); passed down to the security schemes it uses.
    let scopes: [String]

    /// A use of `dependency`.
    public init(
        _ dependency: Dependency<Value>, useCache: Bool = true, scope: DependencyScope = .request, maxConcurrency: Int? = nil,
        maxWait: Duration = .seconds(10)
    ) {
        self.init(
            dependency, useCache: useCache, scopes: [], scope: scope,
            limit: maxConcurrency.map { ConcurrencyLimit(limit: max(1, $0), maxWait: maxWait) })
    }

    init(
        _ dependency: Dependency<Value>, useCache: Bool, scopes: [String], scope: DependencyScope = .request,
        limit: ConcurrencyLimit? = nil
    ) {
        self.dependency = dependency
        self.useCache = useCache
        self.scope = scope
        self.limit = limit
        self.scopes = scopes
        self.info = ParameterInfo(location: .other, name: dependency.name, isRequired: false)
        self.info.nested = dependency.parameters
        self.info.scopes = scopes
        self.info.dependencyID = ObjectIdentifier(dependency)
        self.info.dependencyUse = (scope, hasTeardown: dependency.hasTeardown)
    }

    /// Reads the dependency's parameters (and, first, its own dependencies') and queues its
    /// work; returns `nil`, as its value only exists once the dependencies ran. The handler
    /// gets the value from the request's scope.
    @_documentation(visibility: internal)
    public func extract(from context: ExtractionContext) -> Value? {
        let dependency = context.overrides?.replacement(for: self.dependency) ?? self.dependency
        context.withSecurityScopes(self.scopes) {
            let key = DependencyKey(
                id: ObjectIdentifier(dependency), scopes: context.securityScopes,
                serial: self.useCache ? nil : context.nextUncachedSerial())
            context.noteDependency(key)
            guard !context.hasStep(for: key) else { return }
            guard context.enterDependency(ObjectIdentifier(dependency), name: dependency.name) else { return }
            defer { context.leaveDependency() }
            if var step = dependency.prepare(context) {
                step.name = dependency.name
                if let limit = self.limit { step = Self.limited(step, by: limit) }
                if self.scope == .function { step.teardownScope = .function }
                context.addStep(step, for: key)
            }
        }
        return nil
    }
}

extension Depends {
    /// `step` run with a permit of `limit`, given back when it finished, or when the teardowns
    /// it registered did.
    static func limited(_ step: DependencyStep, by limit: ConcurrencyLimit) -> DependencyStep {
        var limited = DependencyStep(teardownScope: step.teardownScope) { scope in
            try await limit.acquire(reportingTo: scope.instruments?.concurrencyLimits?[step.name])
            let mark = scope.teardownMark()
            let value: any Sendable
            do {
                value = try await step.run(scope)
            } catch {
                limit.release()
                throw error
            }
            if scope.teardownMark() > mark {
                scope.insertTeardown({ _ in limit.release() }, at: mark)
            } else {
                limit.release()
            }
            return value
        }
        limited.name = step.name
        return limited
    }
}

/// The scopes required by every ``Security`` use above the dependency that declares the
/// `.securityScopes` parameter, outermost first (FastAPI's `SecurityScopes`).
///
/// ```swift
/// let currentUser = Dependency(.securityScopes, Depends(token)) { scopes, token in
///     guard scopes.scopes.allSatisfy(token.grants.contains) else {
///         throw HTTPError(.unauthorized, detail: "Not enough permissions", headers: ["www-authenticate": "Bearer scope=\"\(scopes.scopeString)\""])
///     }
///     return token.user
/// }
/// ```
public struct SecurityScopes: Sendable, Equatable {
    /// The required scopes.
    public var scopes: [String]
    /// The scopes joined by spaces, for a `WWW-Authenticate` header.
    public var scopeString: String { self.scopes.joined(separator: " ") }

    init(scopes: [String]) { self.scopes = scopes }
}

/// A parameter that resolves a dependency: ``Depends`` (and ``Security``). A route, a router
/// or the app can list such uses for their effect only (FastAPI's `dependencies=[...]`).
public protocol DependencyParameter: RequestParameter {}

/// Identifies one resolution of a dependency in a request: the dependency, the scopes in
/// effect, and a serial number for a use that opted out of the cache.
struct DependencyKey: Hashable, Sendable {
    let id: ObjectIdentifier
    let scopes: [String]
    let serial: Int?
}
