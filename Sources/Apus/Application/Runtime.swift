import Atomics
import Logging
import UnixSignals
package import NIOCore
package import NIOPosix

/// A running app: event loops, blocking pool, watchdog, request pipeline and server.
package final class Runtime: Sendable {
    package let pipeline: RequestPipeline
    package let group: MultiThreadedEventLoopGroup
    package let configuration: ServerConfiguration
    let server: HTTPServer
    let watchdog: StallWatchdog?
    let logger: Logger
    package let lifespan: Lifespan
    let tracker = BackgroundWorkTracker()
    /// Services of the app placed on one of ``group``'s loops: the group outlives them.
    let serviceEventLoop: ServiceEventLoop?

    init(
        routes: [RouteDefinition], configuration: ServerConfiguration, errorHandlers: [ErrorHandler], logger: Logger,
        overrides: DependencyOverrides? = nil, state: AppState? = nil, lifespan: Lifespan = Lifespan(startup: [], shutdown: []),
        middleware: [any Middleware] = [], errorFormat: ErrorFormat = .fastAPI, telemetry: Telemetry = .off,
        serviceEventLoop: ServiceEventLoop? = nil
    ) throws(RouteConfigurationError) {
        let instruments = Instruments(telemetry)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.eventLoopThreads))
        let loops = Array(group.makeIterator())
        let watchdog = configuration.stallThreshold.map {
            StallWatchdog(eventLoops: loops, threshold: $0, logger: logger, metrics: instruments?.eventLoops)
        }
        let pool = BlockingPool(
            threadCount: configuration.blockingThreads, queueLimit: configuration.blockingQueueLimit, metrics: instruments?.pool)
        let trusted: TrustedProxies
        do throws(TrustedProxies.InvalidEntry) {
            trusted = try TrustedProxies(configuration.trustedProxies)
        } catch {
            try? group.syncShutdownGracefully()
            throw RouteConfigurationError(error.description)
        }
        let origin = RequestOrigin(trustedProxies: trusted, rootPath: configuration.rootPath)
        let pipeline: RequestPipeline
        do {
            pipeline = try RequestPipeline(
                routes: routes, defaultBodyLimit: configuration.maxBodySize, errorHandlers: errorHandlers, logger: logger,
                pool: pool, defaultHost: "\(configuration.host):\(configuration.port)", watchdog: watchdog,
                asyncPlacement: configuration.asyncHandlerPlacement, overrides: overrides, tracker: self.tracker, state: state,
                middleware: middleware, multipartLimits: configuration.multipart, errorFormat: errorFormat,
                instruments: instruments, origin: origin)
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
        self.pipeline = pipeline
        self.group = group
        self.configuration = configuration
        self.watchdog = watchdog
        self.logger = logger
        self.lifespan = lifespan
        self.server = HTTPServer(responder: pipeline, configuration: configuration, group: group, logger: logger)
        self.serviceEventLoop = serviceEventLoop
        serviceEventLoop?.attach(group)
    }

    /// Starts the pool and the watchdog without a listening socket (the in-process test client).
    package func startWithoutServer() {
        self.pipeline.pool.start()
        self.watchdog?.start(routeNames: self.pipeline.routeNames)
    }

    /// Starts everything and listens; returns the bound port.
    package func start() async throws -> Int {
        self.startWithoutServer()
        return try await self.server.start()
    }

    /// Waits for the requests still running background tasks or teardowns, at most the grace period.
    private func waitForBackgroundWork() async {
        let pending = self.tracker.pending
        guard pending > 0 else { return }
        self.logger.info("Waiting for \(pending) request(s) to finish their background tasks")
        let nanoseconds = UInt64(max(0, self.configuration.shutdownGracePeriod.nanoseconds))
        let finished = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await self.tracker.waitUntilIdle()
                return true
            }
            group.addTask {
                try? await Task.sleep(nanoseconds: nanoseconds)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if !finished {
            self.logger.warning("\(self.tracker.pending) request(s) still running background tasks after the shutdown grace period")
        }
    }

    /// The executor async handlers of `eventLoop` run on.
    package func executor(for eventLoop: any EventLoop) -> any TaskExecutor { self.server.executor(for: eventLoop) as any TaskExecutor }

    /// Graceful shutdown has asked every open connection to finish (tests wait for it).
    package var connectionsAskedToFinish: Bool { self.server.askedToQuiesce.load(ordering: .acquiring) }

    /// Reads the TLS files again (what SIGHUP does); `false` without TLS from files.
    package func reloadTLS() throws(TLSSetupError) -> Bool { try self.server.reloadTLS() }

    /// Whether SIGHUP has TLS files to read again.
    var reloadsTLS: Bool {
        if case .files = self.configuration.tls?.source { return true }
        return false
    }

    /// Reloads the TLS files on each SIGHUP until cancelled; a failed reload keeps the current
    /// certificate and logs why.
    func reloadTLSOnHangUp() async {
        for await _ in await UnixSignalsSequence(trapping: .sighup) {
            do {
                if try self.reloadTLS() { self.logger.info("TLS: certificate and key reloaded; new connections get them") }
            } catch {
                self.logger.error("\(error.description); the current certificate stays")
            }
        }
    }

    /// Graceful shutdown: the server first, then pending background tasks and teardowns
    /// (within the grace period), the shutdown hooks, the pool, the watchdog and the event loops.
    package func shutdown() async {
        self.pipeline.instruments?.backgroundTasks?.shuttingDown.store(true, ordering: .relaxed)
        await self.server.shutdown()
        await self.waitForBackgroundWork()
        await self.lifespan.shutdown(logger: self.logger)
        self.pipeline.pool.shutdown()
        self.watchdog?.stop()
        // A service still running on a loop (an exporter flushing after the last request)
        // shuts the group down when it stops.
        let group = self.group
        if let placed = self.serviceEventLoop, !placed.mayShutDown(group, else: { group.shutdownGracefully { _ in } }) { return }
        try? await group.shutdownGracefully()
    }
}
