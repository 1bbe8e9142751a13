import NIOHTTP1

extension RequestPipeline {
    /// A route compiled for serving: a reference, so that routing and a request in flight copy one pointer.
    final class Route: Sendable {
        let endpoint: Endpoint
        /// What few routes have (dependencies for effect, routers' middleware), behind one reference.
        let extras: RouteExtras?
        /// Whether the route or one of its dependencies reads the body, and whether bodies are embedded.
        let hasBody: Bool
        let embedBodies: Bool
        let template: String
        let method: HTTPMethod
        let bodyLimit: Int
        /// Index in `routeNames`, for the stall watchdog.
        let id: Int
        /// The middleware of the route's routers, outermost first.
        var middleware: [any Middleware] { self.extras?.middleware ?? [] }
        /// The error handlers of the route's routers, innermost first.
        var errorHandlers: [ErrorHandler] { self.extras?.errorHandlers ?? [] }
        /// Whether the route reads form fields or files: a multipart body is then parsed as it arrives.
        let acceptsForm: Bool
        /// Whether a file parameter wants its content in memory (`File<ByteBuffer>`).
        let uploadsInMemory: Bool
        /// Whether the handler reads the body as it arrives (`.bodyStream`).
        let streamsBody: Bool

        init(
            endpoint: Endpoint, extras: RouteExtras?, hasBody: Bool, embedBodies: Bool, template: String, method: HTTPMethod,
            bodyLimit: Int, id: Int, acceptsForm: Bool = false, uploadsInMemory: Bool = false, streamsBody: Bool = false
        ) {
            self.endpoint = endpoint
            self.extras = extras
            self.hasBody = hasBody
            self.embedBodies = embedBodies
            self.template = template
            self.method = method
            self.bodyLimit = bodyLimit
            self.id = id
            self.acceptsForm = acceptsForm
            self.uploadsInMemory = uploadsInMemory
            self.streamsBody = streamsBody
        }

        /// Compiles one method of a route definition.
        convenience init(_ definition: RouteDefinition, method: HTTPMethod, defaultBodyLimit: Int, id: Int) {
            let infos = (definition.options.dependencies.map(\.info) + definition.endpoint.parameters).flattened
            let bodies = infos.filter { $0.location == .body }
            self.init(
                endpoint: definition.endpoint,
                extras: RouteExtras(
                    dependencies: definition.options.dependencies, middleware: definition.middleware,
                    errorHandlers: definition.errorHandlers),
                hasBody: !bodies.isEmpty && !bodies.contains { $0.streamsBody }, embedBodies: bodies.filter { $0.formMediaType == nil }.count > 1,
                template: definition.path, method: method, bodyLimit: definition.options.bodyLimit ?? defaultBodyLimit, id: id,
                acceptsForm: bodies.contains { $0.formMediaType != nil }, uploadsInMemory: bodies.contains { $0.uploadsInMemory },
                streamsBody: bodies.contains { $0.streamsBody })
        }
    }
}

/// The parts of a route most routes lack, shared by reference so that routing copies little.
final class RouteExtras: Sendable {
    let dependencies: [any DependencyParameter]
    let middleware: [any Middleware]
    let errorHandlers: [ErrorHandler]

    /// `nil` when there is nothing to hold.
    init?(dependencies: [any DependencyParameter], middleware: [any Middleware], errorHandlers: [ErrorHandler]) {
        guard !dependencies.isEmpty || !middleware.isEmpty || !errorHandlers.isEmpty else { return nil }
        self.dependencies = dependencies
        self.middleware = middleware
        self.errorHandlers = errorHandlers
    }
}
