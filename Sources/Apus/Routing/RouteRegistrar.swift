/// Something routes are registered on: an ``App`` or a ``Router``. Both take routes the same
/// way (`get`, `post`, ..., `route`, `webSocket`, `mount`, `include`, `addMiddleware`),
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
    /// users.get("/{user_id}", Path<Int>("user_id")) { id in User(id: id) }
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
}
