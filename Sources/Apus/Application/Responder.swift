import Logging
package import NIOCore
package import NIOHTTP1

/// The request pipeline after HTTP parsing: routing (404, 405, 307), body parsing,
/// parameter validation (one 422), the handler on the right executor, errors to responses.
/// The HTTP server and the in-process ``TestClient`` both drive it, so tests see what clients see.
package final class Responder: Sendable {
    /// A route ready to serve: a reference, so that routing and the connection's state copy one pointer.
    package final class Route: Sendable {
        package let endpoint: Endpoint
        /// What few routes have (dependencies for effect, routers' middleware), behind one reference.
        package let extras: RouteExtras?
        /// Whether the route or one of its dependencies reads the body, and whether bodies are embedded.
        package let hasBody: Bool
        package let embedBodies: Bool

        package let template: String
        package let method: HTTPMethod
        package let bodyLimit: Int
        /// Index in `routeNames`, for the stall watchdog.
        package let id: Int
        /// The middleware of the route's routers, outermost first.
        package var middleware: [any Middleware] { self.extras?.middleware ?? [] }
        /// Whether the route reads form fields or files: a multipart body is then parsed as it arrives.
        package let acceptsForm: Bool
        /// Whether a file parameter wants its content in memory (`File<ByteBuffer>`).
        package let uploadsInMemory: Bool

        init(
            endpoint: Endpoint, extras: RouteExtras?, hasBody: Bool, embedBodies: Bool, template: String, method: HTTPMethod,
            bodyLimit: Int, id: Int, acceptsForm: Bool = false, uploadsInMemory: Bool = false
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
        }
    }

    /// What routing decided for a request head.
    package enum Lookup {
        case route(Route, parameters: [(name: String, value: String)])
        case response(Response)
    }

    /// A started handler that a client disconnect can cancel.
    package enum Cancellation: Sendable {
        case task(Task<Void, Never>)
        case job(BlockingPool.Job)

        /// Cancels the work; returns whether it will still answer (a task always finishes, a
        /// sync job dropped before it started never does).
        @discardableResult
        package func cancel() -> Bool {
            switch self {
            case .task(let task):
                task.cancel()
                return true
            case .job(let job):
                return !job.cancel()
            }
        }
    }

    let trie: RouteTrie<Route>
    let webSocketTrie: RouteTrie<WebSocketRoute>
    /// `"GET /items/{item_id}"` for each route id.
    package let routeNames: [String]
    let errorHandlers: [ErrorHandler]
    let logger: Logger
    package let pool: BlockingPool
    let defaultHost: String
    let watchdog: StallWatchdog?
    let asyncPlacement: AsyncHandlerPlacement
    package let services: RequestServices
    /// The app's middleware, outermost first.
    let middleware: [any Middleware]
    let defaultBodyLimit: Int
    let multipartLimits: MultipartLimits

    init(
        routes: [RouteDefinition], defaultBodyLimit: Int, errorHandlers: [ErrorHandler], logger: Logger,
        pool: BlockingPool, defaultHost: String, watchdog: StallWatchdog?, asyncPlacement: AsyncHandlerPlacement = .eventLoop,
        overrides: DependencyOverrides? = nil, tracker: BackgroundWorkTracker = BackgroundWorkTracker(), state: AppState? = nil,
        middleware: [any Middleware] = [], multipartLimits: MultipartLimits = MultipartLimits()
    ) throws(RouteConfigurationError) {
        let trie = RouteTrie<Route>()
        let webSocketTrie = RouteTrie<WebSocketRoute>()
        var names: [String] = []
        for definition in routes {
            let template = try PathTemplate(definition.path)
            if let webSocket = definition.webSocket {
                let route = WebSocketRoute(
                    endpoint: webSocket, dependencies: definition.options.dependencies, middleware: definition.middleware,
                    template: definition.path)
                try webSocketTrie.insert(template, method: .GET, payload: route)
                continue
            }
            for method in definition.methods {
                let infos = (definition.options.dependencies.map(\.info) + definition.endpoint.parameters).flattened
                let bodies = infos.filter { $0.location == .body }
                let route = Route(
                    endpoint: definition.endpoint,
                    extras: RouteExtras(dependencies: definition.options.dependencies, middleware: definition.middleware),
                    hasBody: !bodies.isEmpty, embedBodies: bodies.filter { $0.formMediaType == nil }.count > 1,
                    template: definition.path, method: method,
                    bodyLimit: definition.options.bodyLimit ?? defaultBodyLimit, id: names.count,
                    acceptsForm: bodies.contains { $0.formMediaType != nil },
                    uploadsInMemory: bodies.contains { $0.uploadsInMemory })
                try trie.insert(template, method: method, payload: route)
                names.append("\(method) \(definition.path)")
            }
        }
        self.trie = trie
        self.webSocketTrie = webSocketTrie
        self.errorHandlers = errorHandlers
        self.logger = logger
        self.pool = pool
        self.defaultHost = defaultHost
        self.watchdog = watchdog
        self.asyncPlacement = asyncPlacement
        self.services = RequestServices(pool: pool, logger: logger, overrides: overrides, tracker: tracker, state: state)
        self.middleware = middleware
        self.multipartLimits = multipartLimits
        self.defaultBodyLimit = defaultBodyLimit
        names.append("(routing)")
        self.routeNames = names
    }

    /// A whole multipart body parsed at once (the in-process test client); `nil` when not multipart.
    package func parseMultipart(_ body: ByteBuffer?, contentType: String, route: Route) -> Result<FormData, ResponseError>? {
        MultipartCollector.parse(body, contentType: contentType, limits: self.multipartLimits, spool: !route.uploadsInMemory).map {
            result in
            result.mapError { ResponseError(response: $0.response(limits: self.multipartLimits)) }
        }
    }

    /// The response as sent for `request`: a file according to its conditional and range headers.
    package func sendable(_ response: Response, for request: Request) -> Response {
        response.file == nil ? response : FileBody.respond(response, to: request)
    }

    /// What to do with a request head.
    package enum Dispatch {
        /// Answer at once (routing's 404, 405 or 307 without middleware).
        case answer(Response)
        /// Read the body within the route's limit, then run the route.
        case run(Route, parameters: [(name: String, value: String)])
    }

    /// Routes a request head; with app middleware, routing's own answers become a route too.
    package func dispatch(_ request: Request) -> Dispatch {
        switch self.lookup(request) {
        case .route(let route, let parameters): return .run(route, parameters: parameters)
        case .response(let response) where self.middleware.isEmpty: return .answer(response)
        case .response(let response): return .run(self.routingAnswer(response), parameters: [])
        }
    }

    /// With app middleware, routing's own answers (404, 405, 307) also pass through it: as
    /// a route that gives that answer.
    package func routingAnswer(_ response: Response) -> Route {
        let endpoint = Endpoint(parameters: [], isAsync: true) { _ in .async { response } }
        return Route(
            endpoint: endpoint, extras: nil, hasBody: false, embedBodies: false, template: "(routing)", method: .GET,
            bodyLimit: self.defaultBodyLimit, id: self.routeNames.count - 1)
    }

    // MARK: - Routing

    /// Finds the route of a request, or the response that routing itself gives (404, 405, 307).
    package func lookup(_ request: Request) -> Lookup {
        switch self.trie.lookup(request.method, path: request.path) {
        case .found(let route, let parameters):
            return .route(route, parameters: parameters)
        case .methodNotAllowed(let allowed):
            var methods: [String] = []
            for method in allowed {
                methods.append("\(method)")
                if method == .GET && !allowed.contains(.HEAD) { methods.append("HEAD") }
            }
            return .response(
                .detail("Method Not Allowed", status: .methodNotAllowed, headers: ["allow": methods.joined(separator: ", ")]))
        case .notFound:
            if let redirect = self.trailingSlashRedirect(request) { return .response(redirect) }
            return .response(.detail("Not Found", status: .notFound))
        }
    }

    /// Starlette's redirect to the same path with the trailing slash toggled, when that path has a route.
    private func trailingSlashRedirect(_ request: Request) -> Response? {
        guard request.path != "/" else { return nil }
        var toggled = request.path
        if toggled.hasSuffix("/") {
            while toggled.hasSuffix("/") { toggled.removeLast() }
        } else {
            toggled += "/"
        }
        guard !toggled.isEmpty, self.trie.matchesAnyMethod(path: toggled) else { return nil }
        let host = request.headers.first(name: "host") ?? self.defaultHost
        var location = "http://\(host)\(percentEncodePath(toggled))"
        if let query = request.query { location += "?\(query)" }
        return Response(status: .temporaryRedirect, headers: ["location": location])
    }

    // MARK: - Handling

    /// Validates the request's parameters and runs the handler; `completion` receives the
    /// response on `eventLoop`. Call on `eventLoop`.
    package func respond(
        to request: Request, route: Route, eventLoop: any EventLoop, executor: any TaskExecutor,
        completion: @escaping @Sendable (Response) -> Void
    ) -> Cancellation? {
        if !self.middleware.isEmpty || route.extras?.middleware.isEmpty == false {
            return self.respondThroughMiddleware(
                to: request, route: route, eventLoop: eventLoop, executor: executor, completion: completion)
        }
        let work: Endpoint.Work
        switch self.prepare(request, route: route) {
        case .run(let prepared): work = prepared
        case .invalid(let errors):
            completion(.json(RequestValidationError(errors: errors).body, status: .unprocessableEntity))
            return nil
        case .rejected(let response):
            completion(response)
            return nil
        }
        switch work {
        case .async(let run):
            let probe = self.watchdog?.probe(for: eventLoop)
            let preferred: (any TaskExecutor)? = self.asyncPlacement == .eventLoop ? executor : nil
            let task = Task(executorPreference: preferred) {
                probe?.enter(route.id)
                let response: Response
                do {
                    response = try await run()
                } catch {
                    response = self.response(for: error, request: request)
                }
                probe?.leave()
                if eventLoop.inEventLoop {
                    completion(response)
                } else {
                    eventLoop.execute { completion(response) }
                }
            }
            return .task(task)
        case .orchestrated(let scope, let run):
            let probe = self.watchdog?.probe(for: eventLoop)
            let preferred: (any TaskExecutor)? = self.asyncPlacement == .eventLoop ? executor : nil
            let task = Task(executorPreference: preferred) {
                probe?.enter(route.id)
                let response: Response
                var succeeded = false
                do {
                    response = try await run(scope)
                    succeeded = true
                } catch {
                    response = self.response(for: await scope.unwind(error), request: request)
                }
                probe?.leave()
                if succeeded { scope.tracker.begin() }
                if eventLoop.inEventLoop {
                    completion(response)
                } else {
                    eventLoop.execute { completion(response) }
                }
                if succeeded {
                    await scope.finish(request: request)
                    scope.tracker.end()
                }
            }
            return .task(task)
        case .sync(let run):
            let job = BlockingPool.Job {
                let response: Response
                do {
                    response = try run()
                } catch {
                    response = self.response(for: error, request: request)
                }
                eventLoop.execute { completion(response) }
            }
            guard self.pool.submit(job) else {
                completion(.detail("Service Unavailable", status: .serviceUnavailable, headers: ["retry-after": "1"]))
                return nil
            }
            return .job(job)
        }
    }

    /// What reading a request's body and parameters gave.
    package enum Preparation {
        /// Every parameter is valid: the handler's work, ready to run.
        case run(Endpoint.Work)
        /// The validation errors, in FastAPI's order (a 422).
        case invalid([ValidationErrorDetail])
        /// The body could not be read at all (invalid JSON, not UTF-8).
        case rejected(Response)
    }

    /// Reads the body (when the route has body parameters) and every parameter.
    package func prepare(_ request: Request, route: Route) -> Preparation {
        let body: ParsedBody
        if let form = request.form {
            body = .form(form)
        } else if route.hasBody {
            switch Self.parseBody(request) {
            case .parsed(let parsed): body = parsed
            case .rejected(let response): return .rejected(response)
            }
        } else {
            body = .absent
        }
        let context = ExtractionContext(request: request, embedBodies: route.embedBodies, body: body, services: self.services)
        if let extras = route.extras {
            for dependency in extras.dependencies { _ = dependency.extract(from: context) }
        }
        let work = route.endpoint.prepare(context)
        if let failure = context.failure { return .rejected(failure.response) }
        guard let work else { return .invalid(context.orderedErrors) }
        return .run(work)
    }

    /// The body as parameters read it, or the response for a body that cannot be read.
    static func parseBody(_ request: Request) -> BodyParsing {
        guard let buffer = request.body, buffer.readableBytes > 0 else { return .parsed(.absent) }
        if isJSONContentType(request.headers.first(name: "content-type")) {
            do {
                let value = try buffer.withUnsafeReadableBytes { try JSONParser.parse($0) }
                return .parsed(.json(value))
            } catch let error as JSONSyntaxError {
                let detail = ValidationErrorDetail(
                    type: "json_invalid", loc: ["body", .index(error.characterOffset)], msg: "JSON decode error",
                    input: .object([]), ctx: ["error": .string(error.message)])
                return .rejected(.json(RequestValidationError(errors: [detail]).body, status: .unprocessableEntity))
            } catch {
                return .rejected(.detail("There was an error parsing the body", status: .badRequest))
            }
        }
        guard let text = buffer.getString(at: buffer.readerIndex, length: buffer.readableBytes),
            String(validating: buffer.readableBytesView, as: UTF8.self) != nil
        else {
            return .rejected(.detail("There was an error parsing the body", status: .badRequest))
        }
        return .parsed(.text(text))
    }

    // MARK: - Errors

    /// The response for an error thrown by a handler: the app's error handlers first, then
    /// ``HTTPError``, ``RequestValidationError``, and 500 for anything else (logged).
    package func response(for error: any Error, request: Request) -> Response {
        for handler in self.errorHandlers {
            if let response = handler.handle(error, request) { return response }
        }
        switch error {
        case let error as HTTPError:
            return error.response
        case let error as RequestValidationError:
            return .json(error.body, status: .unprocessableEntity)
        default:
            self.logger.error(
                "Unhandled error in \(request.method) \(request.path): \(String(reflecting: error))",
                metadata: ["http.method": "\(request.method)", "http.path": "\(request.path)"])
            return Self.internalServerError
        }
    }

    static var internalServerError: Response {
        Response(
            status: .internalServerError, headers: ["content-type": "text/plain; charset=utf-8"],
            body: "Internal Server Error")
    }
}

/// The parts of a route most routes lack, shared by reference so that routing copies little.
package final class RouteExtras: Sendable {
    package let dependencies: [any DependencyParameter]
    package let middleware: [any Middleware]

    /// `nil` when there is nothing to hold.
    init?(dependencies: [any DependencyParameter], middleware: [any Middleware]) {
        guard !dependencies.isEmpty || !middleware.isEmpty else { return nil }
        self.dependencies = dependencies
        self.middleware = middleware
    }
}

/// A response carried as an error.
package struct ResponseError: Error {
    package let response: Response
}

/// A body ready for the parameters, or the response for one that cannot be read.
enum BodyParsing {
    case parsed(ParsedBody)
    case rejected(Response)
}

/// An app error handler registered with `App.onError`.
struct ErrorHandler: Sendable {
    let handle: @Sendable (any Error, Request) -> Response?
}

/// `application/json` or `application/<anything>+json`, parameters ignored.
func isJSONContentType(_ value: String?) -> Bool {
    guard let value else { return false }
    let mediaType = value.split(separator: ";", maxSplits: 1).first.map { $0.trimmingSpaces().lowercased() } ?? ""
    return mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
}

/// Re-encodes a decoded path for a `Location` header (space -> `%20`, non-ASCII -> UTF-8 `%XX`).
func percentEncodePath(_ path: String) -> String {
    percentEncode(path, keeping: Set("/:@!$&'()*+,;=-._~".utf8))
}
