public import NIOHTTP1
import NIOConcurrencyHelpers

/// One registered route: methods, path template, options and compiled handler.
package struct RouteDefinition: Sendable {
    package var methods: [HTTPMethod]
    package var path: String
    package var options: RouteOptions
    package var endpoint: Endpoint
    /// The middleware of the routers the route was registered on, outermost first.
    package var middleware: [any Middleware] = []
    /// The error handlers of the routers the route was registered on, innermost first.
    package var errorHandlers: [ErrorHandler] = []
    /// The handler of a WebSocket route (then `methods` is `[.GET]` and `endpoint` only lists the parameters).
    package var webSocket: WebSocketEndpoint? = nil
    /// Whether the route answers only when no other route matches the path (a frontend's,
    /// ``RouteRegistrar/frontend(_:directory:fallback:apiPrefixes:immutableAssets:checkDirectory:)``),
    /// after routing's own trailing-slash redirect.
    package var isFallback = false
}

/// A group of routes under a common prefix and tags, FastAPI's `APIRouter`.
///
/// ```swift
/// let users = Router(prefix: "/users", tags: ["users"])
/// users.get("/{user_id}", Path<Int>("user_id")) { id in User(name: "user \(id)") }
/// app.include(users)
/// ```
///
/// Register routes while configuring, before the app serves. ``App`` and `Router` take routes
/// the same way: both are a ``RouteRegistrar`` (the app keeps its routes in a root router).
public final class Router: Sendable {
    /// The prefix of every route's path (`"/users"`), empty for none.
    public let prefix: String
    /// Tags added to every route.
    public let tags: [String]
    /// Responses added to every route's documentation (a route's own win).
    public let responses: [Int: APIResponse]
    /// Marks every route deprecated.
    public let deprecated: Bool
    /// Dependencies run before every route's handler, for their effect.
    public let dependencies: [any DependencyParameter]
    private let state = NIOLockedValueBox(State())

    private struct State {
        var routes: [RouteDefinition] = []
        var problems: [RouteConfigurationError] = []
        /// Outermost first: the last added comes first.
        var middleware: [any Middleware] = []
        /// In registration order.
        var errorHandlers: [ErrorHandler] = []
    }

    /// Adds an error handler for this router's routes.
    func appendErrorHandler(_ handler: ErrorHandler) {
        self.state.withLockedValue { $0.errorHandlers.append(handler) }
    }

    /// This router's error handlers, in registration order.
    package var errorHandlers: [ErrorHandler] { self.state.withLockedValue { $0.errorHandlers } }

    /// Adds middleware, outermost first (the last added runs first).
    func insertMiddleware(_ middleware: any Middleware) {
        self.state.withLockedValue { $0.middleware.insert(middleware, at: 0) }
    }

    /// This router's middleware, outermost first.
    package var middleware: [any Middleware] { self.state.withLockedValue { $0.middleware } }

    /// Creates a router whose routes live under `prefix`, carry `tags`, document `responses`
    /// and run `dependencies` before their handlers.
    public init(
        prefix: String = "", tags: [String] = [], responses: [Int: APIResponse] = [:], deprecated: Bool = false,
        dependencies: [any DependencyParameter] = []
    ) {
        self.prefix = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        self.tags = tags
        self.responses = responses
        self.deprecated = deprecated
        self.dependencies = dependencies
    }

    /// Adds every route of `router` under this router's prefix, tags, responses and
    /// dependencies, and those given.
    func insertRoutes(
        of router: Router, prefix: String, tags: [String], responses: [Int: APIResponse], dependencies: [any DependencyParameter]
    ) {
        let (routes, problems) = router.snapshot()
        let extraPrefix = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        self.state.withLockedValue { state in
            for var route in routes {
                route.path = self.prefix + extraPrefix + route.path
                route.options.tags = self.tags + tags + route.options.tags
                route.options.responses.merge(responses) { own, _ in own }
                route.options.responses.merge(self.responses) { own, _ in own }
                route.options.dependencies = self.dependencies + dependencies + route.options.dependencies
                route.options.deprecated = route.options.deprecated || self.deprecated
                state.routes.append(route)
            }
            state.problems.append(contentsOf: problems)
        }
    }

    /// Registers a route with a compiled endpoint: the common step of `get`, `post`...
    package func add(_ methods: [HTTPMethod], _ path: String, _ options: RouteOptions, _ endpoint: Endpoint) {
        self.add(RouteDefinition(methods: methods, path: path, options: options, endpoint: endpoint))
    }

    /// Registers a WebSocket route.
    package func add(webSocket: WebSocketEndpoint, _ path: String, _ options: RouteOptions) {
        let listing = Endpoint(parameters: webSocket.parameters, isAsync: true) { _ in nil }
        self.add(RouteDefinition(methods: [.GET], path: path, options: options, endpoint: listing, webSocket: webSocket))
    }

    /// Keeps a problem found while registering, reported when the app starts.
    package func addProblem(_ problem: RouteConfigurationError) {
        self.state.withLockedValue { $0.problems.append(problem) }
    }

    /// Applies this router's prefix, tags, responses and dependencies to a new route and keeps it
    /// (or the problem with its declaration).
    package func add(_ route: RouteDefinition) {
        var route = route
        var options = route.options
        options.tags = self.tags + options.tags
        options.responses.merge(self.responses) { own, _ in own }
        options.deprecated = options.deprecated || self.deprecated
        options.dependencies = self.dependencies + options.dependencies
        route.options = options
        route.path = self.prefix + route.path
        let parameters = options.dependencies.map(\.info) + route.endpoint.parameters
        var problem = Self.check(
            methods: route.methods, path: route.path, parameters: parameters, outputProblem: route.endpoint.outputProblem)
        if route.webSocket != nil, problem == nil, parameters.flattened.contains(where: { $0.location == .body }) {
            problem = RouteConfigurationError(
                "WebSocket route \(route.path): a WebSocket has no request body; receive messages with ws.receive() instead of Body, Form or File parameters")
        }
        self.state.withLockedValue { state in
            if let problem {
                state.problems.append(problem)
            } else {
                state.routes.append(route)
            }
        }
    }

    /// The routes, each with this router's middleware (outside the middleware it already has)
    /// and error handlers (after its own), unless `applyingOwnScope` is false (the app runs its
    /// own around routing and tries its handlers last for every error).
    package func snapshot(applyingOwnScope: Bool = true) -> (routes: [RouteDefinition], problems: [RouteConfigurationError]) {
        self.state.withLockedValue { state in
            guard applyingOwnScope, !state.middleware.isEmpty || !state.errorHandlers.isEmpty else {
                return (state.routes, state.problems)
            }
            let routes = state.routes.map { route in
                var route = route
                route.middleware = state.middleware + route.middleware
                route.errorHandlers += state.errorHandlers
                return route
            }
            return (routes, state.problems)
        }
    }

    /// FastAPI's rule for dependency scopes: a dependency whose teardown runs after the response
    /// (`.request`) cannot use one torn down before it (`.function`): its teardown would see a
    /// closed resource.
    private static func scopeProblem(in parameters: [ParameterInfo]) -> String? {
        for parameter in parameters {
            if let use = parameter.dependencyUse, use.scope == .request, use.hasTeardown,
                let inner = parameter.nested.first(where: { $0.dependencyUse?.scope == .function })
            {
                return "the dependency \"\(parameter.name)\" has a scope of .request (its teardown runs after the response); "
                    + "it cannot depend on \"\(inner.name)\", whose scope is .function (torn down before the response)"
            }
            if let problem = self.scopeProblem(in: parameter.nested) { return problem }
        }
        return nil
    }

    /// A route's `{names}` must be exactly its `Path` parameters, its parameters must fit their
    /// types and each other, and its handler's return type must be a response.
    private static func check(
        methods: [HTTPMethod], path: String, parameters: [ParameterInfo], outputProblem: String?
    ) -> RouteConfigurationError? {
        let parametersTree = parameters
        let parameters = parameters.flattened
        let name = "\(methods.map { "\($0)" }.joined(separator: ",")) \(path)"
        let template: PathTemplate
        do { template = try PathTemplate(path) } catch { return error }
        let templateNames = template.parameterNames
        var seenPathParameters: Set<String> = []
        let pathParameters = parameters.filter { $0.location == .path }.map(\.name).filter { seenPathParameters.insert($0).inserted }
        for parameter in pathParameters where !templateNames.contains(parameter) {
            return RouteConfigurationError(
                "route \(name): Path parameter \"\(parameter)\" has no {\(parameter)} in the path template")
        }
        for templateName in templateNames where !pathParameters.contains(templateName) {
            return RouteConfigurationError(
                "route \(name): {\(templateName)} in the path template has no Path<...>(\"\(templateName)\") parameter")
        }
        if Set(templateNames).count != templateNames.count {
            return RouteConfigurationError("route \(name): a {name} appears twice in the path template")
        }
        for parameter in parameters {
            guard let problem = parameter.problem else { continue }
            let location = parameter.location.rawValue
            let kind = parameter.formMediaType != nil ? "Form" : location.prefix(1).uppercased() + location.dropFirst()
            return RouteConfigurationError("route \(name): \(kind) \"\(parameter.name)\": \(problem)")
        }
        let bodies = parameters.filter { $0.location == .body }
        if bodies.contains(where: \.streamsBody), bodies.count > 1 {
            return RouteConfigurationError(
                "route \(name): .bodyStream reads the whole body as it arrives; no Body, Form or File parameter can read it too")
        }
        if let problem = Self.scopeProblem(in: parametersTree) {
            return RouteConfigurationError("route \(name): \(problem)")
        }
        let bodyNames = bodies.map(\.name)
        if Set(bodyNames).count != bodyNames.count {
            return RouteConfigurationError(
                "route \(name): several Body parameters share the name \"\(bodyNames.first ?? "")\"; give each a name")
        }
        if let outputProblem {
            return RouteConfigurationError("route \(name): \(outputProblem)")
        }
        return nil
    }
}
