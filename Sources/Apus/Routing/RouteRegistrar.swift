/// Something routes are registered on: an ``App`` or a ``Router``. Both take routes the same
/// way (`get`, `post`, ..., `route`, `webSocket`, `mount`, `include`, `addMiddleware`, `onError`),
/// because every registration goes to the ``router`` they hold.
///
/// ```swift
/// func addHealthRoutes(to routes: some RouteRegistrar) {
///     routes.get("/health") { PlainText("ok") }
/// }
/// addHealthRoutes(to: app)
/// addHealthRoutes(to: Router(prefix: "/internal"))
/// ```
public protocol RouteRegistrar: Sendable {
    /// The router that keeps what is registered here (a ``Router`` is its own; an ``App``'s is
    /// its root router).
    var router: Router { get }
}

extension Router: RouteRegistrar {
    /// The router itself.
    public var router: Router { self }
}

extension RouteRegistrar {
    /// Adds every route of `router` here, under this router's prefix, tags, responses and
    /// dependencies too, and those given here (FastAPI's `include_router`).
    ///
    /// ```swift
    /// let users = Router(prefix: "/users", tags: ["users"])
    /// users.get("/{user_id}", Path<Int>("user_id")) { id in User(name: "user \(id)") }
    /// app.include(users, prefix: "/v1")
    /// ```
    public func include(
        _ router: Router, prefix: String = "", tags: [String] = [], responses: [Int: APIResponse] = [:],
        dependencies: [any DependencyParameter] = []
    ) {
        self.router.insertRoutes(of: router, prefix: prefix, tags: tags, responses: responses, dependencies: dependencies)
    }

    /// Adds middleware. On the app it runs around routing for every request; on a router,
    /// around that router's routes (those registered before and after this call). The
    /// middleware added last runs first, as in Starlette.
    public func addMiddleware(_ middleware: any Middleware) {
        self.router.insertMiddleware(middleware)
    }

    /// Answers errors of type `E` with the response `handler` makes (FastAPI's
    /// `@app.exception_handler`). On the app it sees every error of every request; on a
    /// router, those of the router's routes, before the app's handlers.
    ///
    /// The handlers see what handlers and dependencies throw and the errors Apus makes itself:
    /// the 422 as a ``RequestValidationError``; as ``HTTPError``s (FastAPI's
    /// `StarletteHTTPException` handler) routing's 404 and 405, a security scheme's 401/403, a
    /// body over the limit (413), a malformed body or form (400), a full pool (503), and the
    /// connection's own answers: a malformed request (400), a head over the limit (431) and a
    /// request that did not arrive in time (408), whose ``Request`` has the head when it was
    /// complete and an empty method and target when it was not (those go to the app's handlers).
    ///
    /// The handler for an error's exact type is chosen first, wherever it was registered, then
    /// one for a protocol the error conforms to (`(any Error).self` catches everything); among
    /// equals, the route's innermost router first, then the first registered. A handler that
    /// throws answers with what it threw (an ``HTTPError``'s response, else a logged 500).
    ///
    /// A sync handler runs where the error is met (an event loop, or the pool thread of a sync
    /// handler): it must answer even when the pool is full, so it should only build a response.
    /// Work that waits belongs in an async handler.
    ///
    /// ```swift
    /// app.onError(OutOfStock.self) { error, request in
    ///     Response.json(["detail": .string("\(error.item) is out of stock")], status: .conflict)
    /// }
    /// ```
    public func onError<E: Error>(_ type: E.Type, _ handler: @escaping @Sendable (E, Request) throws -> Response) {
        self.router.appendErrorHandler(ErrorHandler(type, answer: .sync { error, request in
            // Only called with an `E` (the handler is chosen by type).
            guard let error = error as? E else { throw error }
            return try handler(error, request)
        }))
    }

    /// Answers errors of type `E` with the response an async `handler` makes; see
    /// the sync `onError`.
    ///
    /// ```swift
    /// app.onError(HTTPError.self) { error, request async in
    ///     await auditLog.record(error.status, request.path)
    ///     return error.response
    /// }
    /// ```
    public func onError<E: Error>(_ type: E.Type, _ handler: @escaping @Sendable (E, Request) async throws -> Response) {
        self.router.appendErrorHandler(ErrorHandler(type, answer: .async { error, request in
            guard let error = error as? E else { throw error }
            return try await handler(error, request)
        }))
    }
}
