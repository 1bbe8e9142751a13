import Logging
package import NIOCore
import NIOHTTP1

/// The request pipeline after HTTP parsing: routing (404, 405, 307), the body policy, body
/// parsing, parameter validation (one 422), the handler on the right executor, errors to
/// responses. Its entry is ``admit(_:)``; the HTTP server and the in-process test client
/// both call it and the ``RequestIntake`` it returns, so tests see what clients see.
package final class RequestPipeline: Sendable {
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
    /// The routes that answer only when `trie` has none for the path (a frontend's).
    let fallbackTrie: RouteTrie<Route>
    let webSocketTrie: RouteTrie<WebSocketRoute>
    /// `"GET /items/{item_id}"` for each route id.
    package let routeNames: [String]
    let errorHandlers: [ErrorHandler]
    /// The shape of the error responses Apus makes.
    let errorFormat: ErrorFormat
    let logger: Logger
    package let pool: BlockingPool
    let defaultHost: String
    let watchdog: StallWatchdog?
    let asyncPlacement: AsyncHandlerPlacement
    let services: RequestServices
    /// The app's middleware, outermost first.
    let middleware: [any Middleware]
    let defaultBodyLimit: Int
    let multipartLimits: MultipartLimits
    /// What the app measures and traces (``Telemetry``); `nil` when nothing.
    package let instruments: Instruments?
    /// Trusted proxies and the root path.
    let origin: RequestOrigin

    init(
        routes: [RouteDefinition], defaultBodyLimit: Int, errorHandlers: [ErrorHandler], logger: Logger,
        pool: BlockingPool, defaultHost: String, watchdog: StallWatchdog?, asyncPlacement: AsyncHandlerPlacement = .eventLoop,
        overrides: DependencyOverrides? = nil, tracker: BackgroundWorkTracker = BackgroundWorkTracker(), state: AppState? = nil,
        middleware: [any Middleware] = [], multipartLimits: MultipartLimits = MultipartLimits(), errorFormat: ErrorFormat = .fastAPI,
        instruments: Instruments? = nil, origin: RequestOrigin = .direct
    ) throws(RouteConfigurationError) {
        let trie = RouteTrie<Route>.Builder()
        let fallbackTrie = RouteTrie<Route>.Builder()
        let webSocketTrie = RouteTrie<WebSocketRoute>.Builder()
        var names: [String] = []
        for definition in routes {
            let template = try PathTemplate(definition.path)
            if let webSocket = definition.webSocket {
                let route = WebSocketRoute(
                    endpoint: webSocket, dependencies: definition.options.dependencies, middleware: definition.middleware,
                    template: definition.path, errorHandlers: definition.errorHandlers)
                try webSocketTrie.insert(template, method: .GET, payload: route)
                continue
            }
            for method in definition.methods {
                let route = Route(definition, method: method, defaultBodyLimit: defaultBodyLimit, id: names.count)
                try (definition.isFallback ? fallbackTrie : trie).insert(template, method: method, payload: route)
                names.append("\(method) \(definition.path)")
            }
        }
        self.trie = trie.freeze()
        self.fallbackTrie = fallbackTrie.freeze()
        self.webSocketTrie = webSocketTrie.freeze()
        self.errorHandlers = errorHandlers
        self.errorFormat = errorFormat
        self.logger = logger
        self.pool = pool
        self.defaultHost = defaultHost
        self.watchdog = watchdog
        self.asyncPlacement = asyncPlacement
        self.services = RequestServices(
            pool: pool, logger: logger, overrides: overrides, tracker: tracker, state: state, instruments: instruments)
        self.instruments = instruments
        self.origin = origin
        self.middleware = middleware
        self.multipartLimits = multipartLimits
        self.defaultBodyLimit = defaultBodyLimit
        names.append("(routing)")
        self.routeNames = names
    }

    /// The executor an async handler's task prefers: the connection's event loop, unless the
    /// app asked for Swift's global executor.
    func preferredExecutor(_ executor: (any TaskExecutor)?) -> (any TaskExecutor)? {
        self.asyncPlacement == .eventLoop ? executor : nil
    }
}
