import Configuration
public import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
public import ServiceLifecycle
import UnixSignals

/// An Apus application: the routes, the server configuration and the error handlers.
/// Routes are registered on it directly (it is a ``RouteRegistrar``, with a root ``Router``).
///
/// ```swift
/// let app = App(title: "Inventory", version: "1.0.0")
/// app.get("/items/{item_id}", Path<Int>("item_id")) { itemID async throws in try await store.item(itemID) }
/// try await app.run()   // 127.0.0.1:8000 unless --host/--port or HOST/PORT say otherwise
/// ```
public final class App: RouteRegistrar {
    /// The root router: the app's own routes, included routers and app middleware.
    public let router: Router
    /// The API's title (OpenAPI `info.title`).
    public let title: String
    /// The API's version (OpenAPI `info.version`).
    public let version: String
    /// A short summary of the API (OpenAPI `info.summary`).
    public let summary: String?
    /// The API's description, Markdown (OpenAPI `info.description`).
    public let description: String?
    /// The app's logger; request errors and watchdog warnings go here.
    public let logger: Logger
    private let settings: NIOLockedValueBox<Settings>

    private struct Settings {
        var configuration: ServerConfiguration
        var docs: DocsConfiguration
        var errorFormat: ErrorFormat
        var telemetry: Telemetry = .off
        var servers: [OpenAPIServer] = []
        var services: [any Service] = []
        var startupHooks: [@Sendable (App) async throws -> Void] = []
        var shutdownHooks: [@Sendable (App) async throws -> Void] = []
    }

    /// Replacements for dependencies, typically set by tests (FastAPI's `app.dependency_overrides`).
    public let dependencyOverrides = DependencyOverrides()
    /// Values shared with every request, read with ``Shared``.
    public let state = AppState()
    /// The document's terms, contact, license, tags and external docs (App+OpenAPIMetadata.swift).
    let documentMetadata = NIOLockedValueBox(OpenAPIMetadata())
    /// The loop of the newest runtime, where ``ServicePlacement/eventLoop`` services run.
    private let serviceEventLoop = ServiceEventLoop()

    /// Runs `hook` when the app starts, before it accepts connections (in registration
    /// order); an error stops the start and is reported by ``run()``. FastAPI's lifespan startup.
    public func onStartup(_ hook: @escaping @Sendable (App) async throws -> Void) {
        self.settings.withLockedValue { $0.startupHooks.append(hook) }
    }

    /// Runs `hook` when the app stops, after the last request and background task finished
    /// (in reverse registration order); errors are logged.
    public func onShutdown(_ hook: @escaping @Sendable (App) async throws -> Void) {
        self.settings.withLockedValue { $0.shutdownHooks.append(hook) }
    }

    /// Creates an app.
    /// - Parameters:
    ///   - title: the API's title, shown in the documentation pages.
    ///   - version: the API's version.
    ///   - summary: a short summary of the API.
    ///   - description: the API's description (Markdown).
    ///   - configuration: how the server runs.
    ///   - docs: where the OpenAPI document and the documentation pages are served.
    ///   - dependencies: dependencies run before every handler, for their effect.
    ///   - logger: the app's logger (default: swift-log's handler, or JSON lines with
    ///     `LOG_FORMAT=json`; the level of `LOG_LEVEL`, see ``JSONLogHandler``).
    public init(
        title: String = "Apus", version: String = "0.1.0", summary: String? = nil, description: String? = nil,
        configuration: ServerConfiguration = ServerConfiguration(), docs: DocsConfiguration = DocsConfiguration(),
        dependencies: [any DependencyParameter] = [], logger: Logger? = nil, errors: ErrorFormat = .fastAPI
    ) {
        self.title = title
        self.version = version
        self.summary = summary
        self.description = description
        self.logger = logger ?? JSONLogHandler.appLogger(label: "apus")
        self.settings = NIOLockedValueBox(Settings(configuration: configuration, docs: docs, errorFormat: errors))
        self.router = Router(dependencies: dependencies)
    }

    /// The shape of the error responses (FastAPI's `{"detail": ...}` or RFC 9457 problem details); change it before the app starts.
    public var errorFormat: ErrorFormat {
        get { self.settings.withLockedValue { $0.errorFormat } }
        set { self.settings.withLockedValue { $0.errorFormat = newValue } }
    }

    /// Where the OpenAPI document and the documentation pages are served; change it before the app starts.
    public var docs: DocsConfiguration {
        get { self.settings.withLockedValue { $0.docs } }
        set { self.settings.withLockedValue { $0.docs = newValue } }
    }

    /// Runs `service` with the app (a telemetry exporter, a database pool, a worker): ``run()``
    /// starts it before the app and stops it gracefully after the app's last request and
    /// background task, so that an exporter flushes what they produced. With ``service()``,
    /// add ``services`` to your own `ServiceGroup` before the app's.
    ///
    /// `placement` says where its tasks run: Swift's global executor by default, or one of the
    /// app's event loops for a short, non-blocking service that handlers feed (a span
    /// exporter's queue: see ``ServicePlacement/eventLoop``).
    ///
    /// ```swift
    /// app.addService(exporter, placement: .eventLoop)
    /// ```
    public func addService(_ service: any Service, placement: ServicePlacement = .globalExecutor) {
        let placed: any Service =
            switch placement {
            case .globalExecutor: service
            case .eventLoop: EventLoopPlacedService(base: service, loop: self.serviceEventLoop)
            }
        self.settings.withLockedValue { $0.services.append(placed) }
    }

    /// The servers the OpenAPI document lists (FastAPI's `servers`); under a root path the
    /// served document lists the root path first. Set them before the app starts.
    ///
    /// ```swift
    /// app.servers = [OpenAPIServer(url: "https://api.example.com", description: "Production")]
    /// ```
    public var servers: [OpenAPIServer] {
        get { self.settings.withLockedValue { $0.servers } }
        set { self.settings.withLockedValue { $0.servers = newValue } }
    }

    /// The services added with ``addService(_:placement:)``, in order.
    public var services: [any Service] { self.settings.withLockedValue { $0.services } }

    /// What the app measures and traces (off by default); set it before the app starts.
    ///
    /// ```swift
    /// let app = App(title: "Inventory")
    /// app.telemetry = .bootstrapped   // MetricsSystem's factory, InstrumentationSystem's tracer
    /// ```
    public var telemetry: Telemetry {
        get { self.settings.withLockedValue { $0.telemetry } }
        set { self.settings.withLockedValue { $0.telemetry = newValue } }
    }

    /// The server configuration; change it before the app starts.
    public var configuration: ServerConfiguration {
        get { self.settings.withLockedValue { $0.configuration } }
        set { self.settings.withLockedValue { $0.configuration = newValue } }
    }

    /// Serves until SIGTERM or SIGINT, then shuts down gracefully and returns.
    ///
    /// The command line and the environment override the configuration (the command line
    /// wins): `--host`/`HOST`, `--port`/`PORT`, `--event-loop-threads`/`EVENT_LOOP_THREADS`,
    /// `--blocking-threads`/`BLOCKING_THREADS`, `--listen-fd`/`LISTEN_FD` (an inherited listening
    /// socket, see ``ServerConfiguration/listeningSocket``), `--dev-reload`/`DEV_RELOAD` (the
    /// documentation pages reload when the document changes), `--stall-threshold-ms`/`STALL_THRESHOLD_MS`
    /// (0 disables the watchdog), `--async-handler-placement`/`ASYNC_HANDLER_PLACEMENT` and
    /// `--docs-assets-url`/`DOCS_ASSETS_URL` (see ``DocsConfiguration/loadAssets(from:)``),
    /// `--forwarded-allow-ips`/`FORWARDED_ALLOW_IPS` (``ServerConfiguration/trustedProxies``) and
    /// `--root-path`/`ROOT_PATH` (``ServerConfiguration/rootPath``), `--tls-certificate`/`TLS_CERTIFICATE`
    /// and `--tls-key`/`TLS_KEY` (PEM files: ``ServerTLS/files(certificate:key:)``; SIGHUP reads them again),
    /// `--http2-cleartext`/`HTTP2_CLEARTEXT` (``HTTP2Configuration/cleartext``).
    public func run() async throws {
        try await self.run(alongside: [])
    }

    /// The app as a swift-service-lifecycle `Service`, to run in a `ServiceGroup` of your own
    /// beside other services; it serves until the group shuts down gracefully. The command
    /// line and the environment override the configuration as for ``run()``.
    ///
    /// ```swift
    /// import Logging
    /// import ServiceLifecycle
    ///
    /// let logger = Logger(label: "inventory")
    /// let group = ServiceGroup(services: [metricsExporter, try app.service()], gracefulShutdownSignals: [.sigterm], logger: logger)
    /// try await group.run()
    /// ```
    /// - Throws: the first route registration error.
    public func service() throws -> some Service {
        let reader = ConfigReader(providers: [CommandLineArgumentsProvider(), EnvironmentVariablesProvider()])
        var configuration = self.configuration
        configuration.host = reader.string(forKey: "host", default: configuration.host)
        configuration.port = reader.int(forKey: "port", default: configuration.port)
        if let socket = reader.int(forKey: "listenFd").flatMap(Int32.init(exactly:)) { configuration.listeningSocket = socket }
        if let allowed = reader.string(forKey: "forwardedAllowIps") {
            configuration.trustedProxies = allowed.split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
        }
        configuration.rootPath = reader.string(forKey: "rootPath", default: configuration.rootPath)
        // Two key components: swift-configuration splits camel case only at a lower-upper
        // boundary, so "http2Cleartext" would read HTTP2CLEARTEXT and --http2cleartext.
        configuration.http2.cleartext = reader.bool(forKey: "http2.cleartext", default: configuration.http2.cleartext)
        let certificate = reader.string(forKey: "tlsCertificate")
        let key = reader.string(forKey: "tlsKey")
        if let certificate, let key {
            configuration.tls = .files(certificate: certificate, key: key)
        } else if certificate != nil || key != nil {
            throw TLSSetupError(description: "TLS: --tls-certificate and --tls-key go together; only \(certificate != nil ? "the certificate" : "the key") was given")
        }
        if reader.bool(forKey: "devReload", default: false) { self.docs.reloadsOnChange = true }
        configuration.eventLoopThreads = reader.int(forKey: "eventLoopThreads", default: configuration.eventLoopThreads)
        configuration.blockingThreads = reader.int(forKey: "blockingThreads", default: configuration.blockingThreads)
        if let milliseconds = reader.int(forKey: "stallThresholdMs") {
            configuration.stallThreshold = milliseconds > 0 ? .milliseconds(Int64(milliseconds)) : nil
        }
        if let placement = reader.string(forKey: "asyncHandlerPlacement").flatMap(AsyncHandlerPlacement.init(rawValue:)) {
            configuration.asyncHandlerPlacement = placement
        }
        if let assets = reader.string(forKey: "docsAssetsUrl") {
            self.docs.loadAssets(from: assets)
        }
        return AppService(runtime: try self.makeRuntime(configuration: configuration))
    }

    /// Serves like ``run()``, in one `ServiceGroup` with `services` (a database pool, a
    /// worker...): they start first, in order (after those of ``addService(_:placement:)``), and stop
    /// after the app, in reverse order.
    public func run(alongside services: [any Service]) async throws {
        let service = try self.service()
        let group = ServiceGroup(
            configuration: .init(
                services: (self.services + services).map {
                    // A companion service that finishes ends the app gracefully rather than cancelling it.
                    ServiceGroupConfiguration.ServiceConfiguration(service: $0, successTerminationBehavior: .gracefullyShutdownGroup)
                } + [.init(service: service)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: self.logger))
        try await group.run()
    }

    /// Builds everything the app needs to serve, checking every route first.
    package func makeRuntime(configuration: ServerConfiguration? = nil) throws(RouteConfigurationError) -> Runtime {
        let (routes, problems) = self.router.snapshot(applyingOwnScope: false)
        if let problem = problems.first { throw problem }
        let settings = self.settings.withLockedValue { $0 }
        let docsRoutes = self.documentationRoutes(
            for: routes, docs: settings.docs, rootPath: (configuration ?? settings.configuration).rootPath)
        var logger = self.logger
        if let provider = settings.telemetry.logMetadata {
            logger.handler.metadataProvider = logger.metadataProvider.map { .multiplex([$0, provider]) } ?? provider
        }
        let lifespan = Lifespan(
            startup: settings.startupHooks.map { hook in { try await hook(self) } },
            shutdown: settings.shutdownHooks.reversed().map { hook in { try await hook(self) } })
        return try Runtime(
            routes: routes + docsRoutes, configuration: configuration ?? settings.configuration,
            errorHandlers: self.router.errorHandlers, logger: logger, overrides: self.dependencyOverrides,
            state: self.state, lifespan: lifespan, middleware: self.router.middleware, errorFormat: settings.errorFormat,
            telemetry: settings.telemetry, serviceEventLoop: self.serviceEventLoop)
    }

    /// The OpenAPI 3.1 document of the app's routes, as served at ``DocsConfiguration/openAPIURL``.
    ///
    /// ```swift
    /// let document = try app.openAPIDocument()
    /// print(document["paths"] ?? [:])
    /// ```
    /// - Throws: the first route registration error, as ``run()`` would.
    public func openAPIDocument() throws(RouteConfigurationError) -> JSONValue {
        let (routes, problems) = self.router.snapshot()
        if let problem = problems.first { throw problem }
        return self.openAPIDocument(of: routes)
    }

    private func openAPIDocument(of routes: [RouteDefinition], servers: [OpenAPIServer]? = nil) -> JSONValue {
        OpenAPIDocumentBuilder.document(
            info: OpenAPIInfo(
                title: self.title, version: self.version, summary: self.summary, description: self.description,
                metadata: self.documentMetadata.withLockedValue { $0 }),
            routes: routes, errorFormat: self.errorFormat, servers: servers ?? self.servers)
    }

    /// The routes serving the document and the documentation pages, built once from `routes`
    /// for the configured root path; a request under another one (a trusted proxy's
    /// `X-Forwarded-Prefix`) gets them built for its own, as FastAPI builds them per request.
    private func documentationRoutes(for routes: [RouteDefinition], docs: DocsConfiguration, rootPath: String) -> [RouteDefinition] {
        guard docs.openAPIURL != nil else { return [] }
        let configuredRoot = RequestOrigin.normalized(rootPath)
        let pages = self.documentationPages(for: routes, docs: docs, rootPath: configuredRoot)
        return pages.enumerated().map { index, page in
            let options = RouteOptions(includeInSchema: false)
            let response = page.response
            return RouteDefinition(
                methods: [.GET], path: page.url, options: options,
                endpoint: .async(RequestValue<Request>.request, options: options) { request in
                    guard request.rootPath != configuredRoot else { return response }
                    return self.documentationPages(for: routes, docs: docs, rootPath: request.rootPath)[index].response
                })
        }
    }

    /// The document (with `servers` for `rootPath`) and the pages that point at it under `rootPath`.
    private func documentationPages(
        for routes: [RouteDefinition], docs: DocsConfiguration, rootPath: String
    ) -> [(url: String, response: Response)] {
        guard let openAPIURL = docs.openAPIURL else { return [] }
        var pages: [(url: String, response: Response)] = []
        var document = JSONWriter(capacity: 16_384)
        _ = document.write(self.openAPIDocument(of: routes, servers: OpenAPIServer.served(self.servers, rootPath: rootPath)))
        var json = Response(status: .ok, headers: ["content-type": "application/json"])
        json.body.writeBytes(document.bytes)
        pages.append((openAPIURL, json))
        var served = docs
        served.oauth2RedirectURL = docs.oauth2RedirectURL.map { rootPath + $0 }
        let documentURL = rootPath + openAPIURL
        if let url = docs.swaggerUIURL {
            pages.append((url, .html(DocsPages.swaggerUI(title: self.title, configuration: served, openAPIURL: documentURL), status: .ok)))
            if let redirect = docs.oauth2RedirectURL {
                pages.append((redirect, .html(DocsPages.oauth2Redirect, status: .ok)))
            }
        }
        if let url = docs.redocURL {
            pages.append((url, .html(DocsPages.redoc(title: self.title, configuration: served, openAPIURL: documentURL), status: .ok)))
        }
        return pages
    }
}

/// The app's graceful lifecycle as a swift-service-lifecycle `Service`.
struct AppService: Service {
    let runtime: Runtime

    func run() async throws {
        try await self.runtime.lifespan.startup()
        _ = try await self.runtime.start()
        let reloading = self.runtime.reloadsTLS ? Task { await self.runtime.reloadTLSOnHangUp() } : nil
        try? await gracefulShutdown()
        reloading?.cancel()
        self.runtime.logger.info("Shutting down: finishing in-flight requests")
        await self.runtime.shutdown()
    }
}
