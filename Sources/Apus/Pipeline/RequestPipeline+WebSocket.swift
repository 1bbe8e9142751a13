import Logging
import NIOCore
import NIOHTTP1
import NIOConcurrencyHelpers

extension RequestPipeline {
    /// A WebSocket route ready to serve.
    final class WebSocketRoute: Sendable {
        let endpoint: WebSocketEndpoint
        let dependencies: [any DependencyParameter]
        /// The middleware of the route's routers, outermost first.
        let middleware: [any Middleware]
        let template: String
        /// The error handlers of the route's routers, innermost first.
        let errorHandlers: [ErrorHandler]

        init(
            endpoint: WebSocketEndpoint, dependencies: [any DependencyParameter], middleware: [any Middleware], template: String,
            errorHandlers: [ErrorHandler]
        ) {
            self.endpoint = endpoint
            self.dependencies = dependencies
            self.middleware = middleware
            self.template = template
            self.errorHandlers = errorHandlers
        }
    }

    /// The entry for a WebSocket upgrade request: its route and path parameters, or `nil`
    /// when no WebSocket route has this path (the server answers 403, as uvicorn).
    package func admitWebSocket(_ request: Request) -> WebSocketAdmission? {
        var request = request
        self.origin.resolve(&request)
        guard case .found(let route, let parameters) = self.webSocketTrie.lookup(.GET, path: request.path) else { return nil }
        request.pathParameters = parameters
        return WebSocketAdmission(request: request, route: route, pipeline: self)
    }

    /// Starts a WebSocket's handler in a task. The app's middleware and the route's routers'
    /// middleware see the upgrade request first, as an HTTP request answered with 101: one
    /// that answers otherwise (TrustedHost's 400, an authentication middleware's 401) refuses
    /// the handshake with that response, and the headers it adds to the 101 are sent with it.
    /// Then the parameters are read: invalid ones refuse the handshake through `link` (1008
    /// with the errors, or a security scheme's HTTP error). Call on an event loop; returns the
    /// handler's task.
    func serveWebSocket(
        _ request: Request, route: WebSocketRoute, link: any WebSocketLink, inbox: WebSocketInbox,
        executor: (any TaskExecutor)?
    ) -> Task<Void, Never>? {
        let preferred = self.preferredExecutor(executor)
        guard !self.middleware.isEmpty || !route.middleware.isEmpty else {
            switch self.prepareWebSocket(request, route: route, link: link) {
            case .run(let work):
                let socket = WebSocket(request: request, link: link, inbox: inbox, observer: self.webSocketObserver(route))
                return Task(executorPreference: preferred) { await self.run(work, socket: socket, route: route) }
            case .refuse(let error):
                return Task(executorPreference: preferred) { await self.refuseWebSocket(error, request: request, route: route, link: link) }
            case .closed:
                return nil
            }
        }
        return Task(executorPreference: preferred) {
            let passed = NIOLockedValueBox(request)
            let gate: Response
            do {
                gate = try await self.throughMiddleware(request, routeMiddleware: route.middleware) { request in
                    passed.withLockedValue { $0 = request }
                    return Response(status: .switchingProtocols)
                }
            } catch {
                gate = await self.response(for: error, request: request, routeHandlers: route.errorHandlers)
            }
            guard gate.status == .switchingProtocols else {
                link.reject(.response(gate))
                return
            }
            let request = passed.withLockedValue { $0 }
            let work: WebSocketEndpoint.Work
            switch self.prepareWebSocket(request, route: route, link: link) {
            case .run(let ready): work = ready
            case .refuse(let error): return await self.refuseWebSocket(error, request: request, route: route, link: link)
            case .closed: return
            }
            let socket = WebSocket(
                request: request, link: link, inbox: inbox, upgradeHeaders: gate.headers, observer: self.webSocketObserver(route))
            await self.run(work, socket: socket, route: route)
        }
    }

    /// What reading a WebSocket's parameters gave.
    private enum WebSocketPreparation {
        /// Every parameter is valid.
        case run(WebSocketEndpoint.Work)
        /// A security scheme (or a custom parameter) ended the request: the handshake is refused with the error's response.
        case refuse(any Error)
        /// Invalid parameters: the socket was closed with 1008 and the errors.
        case closed
    }

    /// The handler's work once every parameter is valid.
    private func prepareWebSocket(_ request: Request, route: WebSocketRoute, link: any WebSocketLink) -> WebSocketPreparation {
        let context = ExtractionContext(request: request, embedBodies: false, body: .absent, services: self.services)
        for dependency in route.dependencies { _ = dependency.extract(from: context) }
        let work = route.endpoint.prepare(context)
        if let failure = context.failure { return .refuse(failure) }
        guard let work else {
            let errors = JSONValue.array(context.orderedErrors.map(\.json))
            link.reject(.close(.policyViolation, reason: errors.jsonString, detail: errors))
            return .closed
        }
        return .run(work)
    }

    /// Refuses the handshake with the response the error handlers make of `error` (a 401 or 403).
    private func refuseWebSocket(_ error: any Error, request: Request, route: WebSocketRoute, link: any WebSocketLink) async {
        link.reject(.response(await self.response(for: error, request: request, routeHandlers: route.errorHandlers)))
    }

    /// Where a socket of `route` is counted, when metrics are on.
    private func webSocketObserver(_ route: WebSocketRoute) -> WebSocketObserver? {
        self.instruments?.webSockets.map { WebSocketObserver(metrics: $0, route: route.template) }
    }

    /// Runs the handler (after its dependencies), then closes what it left open and runs the teardowns.
    private func run(_ work: WebSocketEndpoint.Work, socket: WebSocket, route: WebSocketRoute) async {
        defer { socket.handlerEnded() }
        switch work {
        case .direct(let run):
            do {
                try await run(socket)
                self.finish(socket, route: route, error: nil)
            } catch {
                self.finish(socket, route: route, error: error)
            }
        case .orchestrated(let scope, let run):
            do {
                try await run(scope, socket)
                self.finish(socket, route: route, error: nil)
                scope.tracker.begin()
                await scope.finish(request: socket.request)
                scope.tracker.end()
            } catch {
                self.finish(socket, route: route, error: await scope.unwind(error))
            }
        }
    }

    /// Closes what the handler left open: 1000 after a return, the code of a
    /// ``WebSocketException``, 1011 (logged) for another error; before accept, a refusal.
    private func finish(_ socket: WebSocket, route: WebSocketRoute, error: (any Error)?) {
        guard let error else {
            socket.close()
            return
        }
        switch error {
        case let exception as WebSocketException:
            socket.close(code: exception.code, reason: exception.reason)
        case let httpError as HTTPError where !socket.isAccepted:
            _ = socket.reject(.response(httpError.response))
        case is WebSocketDisconnect:
            // The client left; nothing to tell it.
            socket.close()
        case is CancellationError where socket.disconnect != nil:
            // The client vanished and the handler was cancelled.
            break
        default:
            self.logger.error(
                "Unhandled error in WebSocket \(route.template): \(String(reflecting: error))",
                metadata: ["websocket.path": "\(socket.request.path)"])
            if !socket.reject(.response(Self.internalServerError)) {
                socket.close(code: .internalError)
            }
        }
    }
}

/// A WebSocket upgrade request admitted to its route: ``start(link:inbox:executor:)`` runs the
/// handler (middleware and parameters first), which accepts or refuses through `link`.
package struct WebSocketAdmission: Sendable {
    /// The upgrade request, with its path parameters.
    package let request: Request
    let route: RequestPipeline.WebSocketRoute
    let pipeline: RequestPipeline

    /// Starts the handler's task on `executor`; `nil` when the handshake was refused at once
    /// (invalid parameters, a security scheme's error), through `link`. Call on an event loop.
    package func start(link: any WebSocketLink, inbox: WebSocketInbox, executor: (any TaskExecutor)?) -> Task<Void, Never>? {
        self.pipeline.serveWebSocket(self.request, route: self.route, link: link, inbox: inbox, executor: executor)
    }
}

extension RequestPipeline {
    /// A WebSocket handshake is the one upgrade Apus performs.
    func performsUpgrade(_ head: HTTPRequestHead) -> Bool {
        WebSocketHandshake.isWebSocketUpgrade(head)
    }

    /// Starts a WebSocket handshake on `connection`: 403 without a WebSocket route at the path
    /// (as uvicorn answers), 426/400 for a malformed handshake, else the handshake, whose
    /// handler starts when the request ends.
    func upgrade(
        _ request: Request, head: HTTPRequestHead, connection: HTTPConnectionHandler, context: ChannelHandlerContext
    ) -> UpgradeAdmission {
        guard let admission = self.admitWebSocket(request) else {
            return .refuse(.detail("No WebSocket route at this path", status: .forbidden))
        }
        if let refusal = WebSocketHandshake.refusal(for: head) { return .refuse(refusal) }
        let executor = connection.executor
        let handshake = WebSocketHandshake(
            head: head, connection: connection, context: context, configuration: connection.configuration.webSocket
        ) { link, inbox in
            admission.start(link: link, inbox: inbox, executor: executor)
        }
        return .upgrade(handshake)
    }
}
