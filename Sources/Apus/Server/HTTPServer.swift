import Atomics
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The listening socket and its connections: binds, accepts, builds each connection's
/// pipeline, and shuts down gracefully (stop accepting, let in-flight requests finish
/// within the grace period, then close what is left).
final class HTTPServer: Sendable {
    let responder: any HTTPResponder
    let configuration: ServerConfiguration
    let group: any EventLoopGroup
    let logger: Logger
    private let executors: [ObjectIdentifier: EventLoopTaskExecutor]
    private let dateCaches: [ObjectIdentifier: NIOLoopBoundBox<HTTPDateCache?>]
    private let state = NIOLockedValueBox<(listener: (any Channel)?, connections: [ObjectIdentifier: any Channel])>((nil, [:]))
    /// Graceful shutdown began: a connection whose protocol is chosen from now on starts quiesced.
    private let quiescing = NIOLockedValueBox(false)
    var isQuiescing: Bool { self.quiescing.withLockedValue { $0 } }
    /// Every open connection was asked to finish (its event is queued on its loop).
    let askedToQuiesce = ManagedAtomic(false)
    /// The TLS context store, made at start when the configuration has TLS.
    private let tls = NIOLockedValueBox<TLSContextStore?>(nil)

    init(responder: any HTTPResponder, configuration: ServerConfiguration, group: any EventLoopGroup, logger: Logger) {
        self.responder = responder
        self.configuration = configuration
        self.group = group
        self.logger = logger
        var executors: [ObjectIdentifier: EventLoopTaskExecutor] = [:]
        var dateCaches: [ObjectIdentifier: NIOLoopBoundBox<HTTPDateCache?>] = [:]
        for loop in group.makeIterator() {
            executors[ObjectIdentifier(loop)] = EventLoopTaskExecutor(loop)
            dateCaches[ObjectIdentifier(loop)] = .makeEmptyBox(valueType: HTTPDateCache.self, eventLoop: loop)
        }
        self.executors = executors
        self.dateCaches = dateCaches
    }

    /// The `Date` cache of `eventLoop`, made on first use; call on that loop.
    func dateCache(for eventLoop: any EventLoop) -> HTTPDateCache {
        guard let box = self.dateCaches[ObjectIdentifier(eventLoop)] else { return HTTPDateCache() }
        if let cache = box.value { return cache }
        let cache = HTTPDateCache()
        box.value = cache
        return cache
    }

    /// The executor of `eventLoop` (one per loop, made at start-up).
    func executor(for eventLoop: any EventLoop) -> EventLoopTaskExecutor {
        self.executors[ObjectIdentifier(eventLoop)] ?? EventLoopTaskExecutor(eventLoop)
    }

    /// Binds and starts accepting; returns the bound port.
    func start() async throws -> Int {
        let tls = try self.configuration.tls.map { tls throws(TLSSetupError) in
            try TLSContextStore(tls, offersHTTP2: self.configuration.http2.overTLS)
        }
        self.tls.withLockedValue { $0 = tls }
        let pipelines = ConnectionPipelines(server: self, tls: tls)
        let bootstrap = ServerBootstrap(group: self.group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            // A client that shuts down its side after a request still gets the answer.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try pipelines.configure(channel)
                    self.track(channel)
                }
            }
        let listener: any Channel
        let host: String
        if let socket = self.configuration.listeningSocket {
            // Inherited (`apus dev`, socket activation): its address is the one it was bound to.
            listener = try await bootstrap.withBoundSocket(socket).get()
            host = listener.localAddress?.ipAddress ?? self.configuration.host
        } else {
            listener = try await bootstrap.bind(host: self.configuration.host, port: self.configuration.port).get()
            host = self.configuration.host
        }
        self.state.withLockedValue { $0.listener = listener }
        let port = listener.localAddress?.port ?? self.configuration.port
        self.logger.info("Apus serving on \(pipelines.scheme)://\(host):\(port)")
        return port
    }

    private func track(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        self.state.withLockedValue { $0.connections[id] = channel }
        channel.closeFuture.whenComplete { [self] _ in
            _ = self.state.withLockedValue { $0.connections.removeValue(forKey: id) }
        }
    }

    /// Reads the TLS certificate and key files again (SIGHUP): new connections get them, open
    /// ones keep theirs. Returns whether there was anything to reload.
    func reloadTLS() throws(TLSSetupError) -> Bool {
        guard let store = self.tls.withLockedValue({ $0 }), store.reloads else { return false }
        try store.reload()
        return true
    }

    /// The number of open connections.
    var connectionCount: Int { self.state.withLockedValue { $0.connections.count } }

    /// Stops accepting, asks every connection to close after its current request, waits up
    /// to the grace period, then closes whatever is still open.
    func shutdown() async {
        let listener = self.state.withLockedValue { state -> (any Channel)? in
            defer { state.listener = nil }
            return state.listener
        }
        // Accepting stops first; the listener closes only once the connections it accepted are
        // set up. A connection is accepted on the listener's loop, set up on its own loop, then
        // handed back to the listener's loop, which closes it (unread: the client sees a reset)
        // if the listener closed meanwhile. Two rounds through every loop, awaited one loop
        // after the other, run every setup and every hand-back queued before them; then each
        // accepted connection is tracked, gets the quiesce, and finishes its request. Connections
        // not accepted stay in the socket's queue: refused when the socket closes, or served by
        // the next server where the socket is shared (`apus dev`).
        self.quiescing.withLockedValue { $0 = true }
        try? await listener?.setOption(ChannelOptions.autoRead, value: false).get()
        for _ in 0..<2 {
            for eventLoop in self.group.makeIterator() {
                try? await eventLoop.submit {}.get()
            }
        }
        try? await listener?.close()
        let connections = self.state.withLockedValue { Array($0.connections.values) }
        for channel in connections {
            // Apus's HTTP/1 connections finish their request; an HTTP/2 connection's manager
            // sends GOAWAY and closes once its streams are done.
            channel.pipeline.fireUserInboundEventTriggered(QuiesceEvent())
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
        self.askedToQuiesce.store(true, ordering: .releasing)
        let deadline = NIODeadline.now() + self.configuration.shutdownGracePeriod
        while self.connectionCount > 0 && NIODeadline.now() < deadline {
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        let remaining = self.state.withLockedValue { Array($0.connections.values) }
        if !remaining.isEmpty {
            self.logger.warning("Closing \(remaining.count) connection(s) still busy after the shutdown grace period")
        }
        for channel in remaining { try? await channel.close() }
    }
}
