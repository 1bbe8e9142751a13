import Configuration
public import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import UnixSignals

/// An Apus application: the routes, the server configuration and the error handlers.
/// `App` is a ``Router``, so routes are registered on it directly.
///
/// ```swift
/// let app = App(title: "Inventory", version: "1.0.0")
/// app.get("/items/{item_id}", Path<Int>("item_id")) { itemID async in Item(id: itemID) }
/// try await app.run()   // 127.0.0.1:8000 unless --host/--port or HOST/PORT say otherwise
/// ```
public final class App: Router, @unchecked Sendable {
    // @unchecked: `title`, `version` and `logger` are `let`; the mutable configuration
    // and error handlers live in `settings`, a locked box.
    /// The API's title (OpenAPI `info.title`).
    public let title: String
    /// The API's version (OpenAPI `info.version`).
    public let version: String
    /// The app's logger; request errors and watchdog warnings go here.
    public let logger: Logger
    private let settings: NIOLockedValueBox<(configuration: ServerConfiguration, errorHandlers: [ErrorHandler])>

    /// Creates an app.
    public init(
        title: String = "Apus", version: String = "0.1.0", configuration: ServerConfiguration = ServerConfiguration(),
        logger: Logger = Logger(label: "apus")
    ) {
        self.title = title
        self.version = version
        self.logger = logger
        self.settings = NIOLockedValueBox((configuration, []))
        super.init()
    }

    /// The server configuration; change it before the app starts.
    public var configuration: ServerConfiguration {
        get { self.settings.withLockedValue { $0.configuration } }
        set { self.settings.withLockedValue { $0.configuration = newValue } }
    }

    /// Answers errors of type `E` thrown by handlers with the response `handler` makes
    /// (FastAPI's `@app.exception_handler`). Handlers are tried in registration order.
    ///
    /// ```swift
    /// app.onError(OutOfStock.self) { error, request in
    ///     Response.json(["detail": .string("\(error.item) is out of stock")], status: .conflict)
    /// }
    /// ```
    public func onError<E: Error>(_ type: E.Type, _ handler: @escaping @Sendable (E, Request) -> Response) {
        let erased = ErrorHandler { error, request in (error as? E).map { handler($0, request) } }
        self.settings.withLockedValue { $0.errorHandlers.append(erased) }
    }

    /// Serves until SIGTERM or SIGINT, then shuts down gracefully and returns.
    ///
    /// The command line and the environment override the configuration (the command line
    /// wins): `--host`/`HOST`, `--port`/`PORT`, `--event-loop-threads`/`EVENT_LOOP_THREADS`,
    /// `--blocking-threads`/`BLOCKING_THREADS`, `--stall-threshold-ms`/`STALL_THRESHOLD_MS`
    /// (0 disables the watchdog) and `--async-handler-placement`/`ASYNC_HANDLER_PLACEMENT`.
    public func run() async throws {
        let reader = ConfigReader(providers: [CommandLineArgumentsProvider(), EnvironmentVariablesProvider()])
        var configuration = self.configuration
        configuration.host = reader.string(forKey: "host", default: configuration.host)
        configuration.port = reader.int(forKey: "port", default: configuration.port)
        configuration.eventLoopThreads = reader.int(forKey: "eventLoopThreads", default: configuration.eventLoopThreads)
        configuration.blockingThreads = reader.int(forKey: "blockingThreads", default: configuration.blockingThreads)
        if let milliseconds = reader.int(forKey: "stallThresholdMs") {
            configuration.stallThreshold = milliseconds > 0 ? .milliseconds(Int64(milliseconds)) : nil
        }
        if let placement = reader.string(forKey: "asyncHandlerPlacement").flatMap(AsyncHandlerPlacement.init(rawValue:)) {
            configuration.asyncHandlerPlacement = placement
        }
        let runtime = try self.makeRuntime(configuration: configuration)
        let service = AppService(runtime: runtime)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: self.logger))
        try await group.run()
    }

    /// Builds everything the app needs to serve, checking every route first.
    package func makeRuntime(configuration: ServerConfiguration? = nil) throws(RouteConfigurationError) -> Runtime {
        let (routes, problems) = self.snapshot()
        if let problem = problems.first { throw problem }
        let (storedConfiguration, errorHandlers) = self.settings.withLockedValue { ($0.configuration, $0.errorHandlers) }
        return try Runtime(
            routes: routes, configuration: configuration ?? storedConfiguration, errorHandlers: errorHandlers,
            logger: self.logger)
    }
}

/// The app's graceful lifecycle as a swift-service-lifecycle `Service`.
struct AppService: Service {
    let runtime: Runtime

    func run() async throws {
        _ = try await self.runtime.start()
        try? await gracefulShutdown()
        self.runtime.logger.info("Shutting down: finishing in-flight requests")
        await self.runtime.shutdown()
    }
}
