import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOSSL
import NIOTLS

/// The handlers of an accepted connection: TLS when configured, then the HTTP version the
/// client speaks (ALPN over TLS; the HTTP/2 preface on plain TCP with ``HTTP2Configuration/cleartext``).
/// HTTP/1.1 gets the decoder, the encoder and one ``HTTPConnectionHandler``; HTTP/2 gets
/// swift-nio-http2's handler, its connection manager (GOAWAY on graceful shutdown, idle
/// timeout) and, for each stream, the HTTP/1-shaped codec and its own ``HTTPConnectionHandler``:
/// routing, limits, streaming and the pipeline are the same on both.
struct ConnectionPipelines: Sendable {
    let server: HTTPServer
    let tls: TLSContextStore?
    let decoderLimits: NIOHTTPDecoderLimitConfiguration

    init(server: HTTPServer, tls: TLSContextStore?) {
        self.server = server
        self.tls = tls
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderListSize = server.configuration.maxHeaderSize
        limits.maxHeaderFieldSize = server.configuration.maxHeaderSize
        self.decoderLimits = limits
    }

    var scheme: String { self.tls == nil ? "http" : "https" }
    private var http2: HTTP2Configuration { self.server.configuration.http2 }

    /// Sets up a connection just accepted; call on its event loop.
    func configure(_ channel: any Channel) throws {
        guard let tls else {
            if self.http2.cleartext {
                try self.choosingProtocol(channel) { channel, chosen in
                    try channel.pipeline.syncOperations.addHandler(HTTP2PrefaceDetector { isHTTP2, channel in
                        chosen.value = true
                        try isHTTP2 ? self.configureHTTP2(channel) : self.configureHTTP1(channel)
                    })
                }
            } else {
                try self.configureHTTP1(channel)
            }
            return
        }
        // The context of the moment: a reload reaches the connections accepted after it.
        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls.context))
        guard tls.negotiatesProtocol else {
            try self.configureHTTP1(channel)
            return
        }
        try self.choosingProtocol(channel) { channel, chosen in
            try channel.pipeline.syncOperations.addHandler(
                ApplicationProtocolNegotiationHandler { result, channel in
                    channel.eventLoop.makeCompletedFuture {
                        chosen.value = true
                        if case .negotiated("h2") = result { try self.configureHTTP2(channel) } else { try self.configureHTTP1(channel) }
                    }
                })
        }
    }

    /// Adds what picks the protocol, bounded in time: a client that never finishes its TLS
    /// handshake or first bytes is closed after the idle timeout (the HTTP handlers, which
    /// time connections out once there, are not added yet).
    private func choosingProtocol(
        _ channel: any Channel, _ addChooser: (any Channel, NIOLoopBoundBox<Bool>) throws -> Void
    ) throws {
        let chosen = NIOLoopBoundBox(false, eventLoop: channel.eventLoop)
        let timeout = channel.eventLoop.scheduleTask(in: self.server.configuration.idleTimeout) {
            if !chosen.value { channel.close(promise: nil) }
        }
        channel.closeFuture.whenComplete { _ in timeout.cancel() }
        try addChooser(channel, chosen)
    }

    /// HTTP/1.1: the encoder, Apus's decoder (it hands on the bytes after an upgrade request) and
    /// the connection handler; a WebSocket upgrade removes the first two.
    func configureHTTP1(_ channel: any Channel) throws {
        let encoder = HTTPResponseEncoder(configuration: .init())
        let link = RequestDecoderLink()
        let decoder = ByteToMessageHandler(RequestDecoder(limits: self.decoderLimits, link: link))
        try channel.pipeline.syncOperations.addHandlers([encoder, decoder])
        try channel.pipeline.syncOperations.addHandler(
            HTTPConnectionHandler(
                responder: self.server.responder, configuration: self.server.configuration,
                executor: self.server.executor(for: channel.eventLoop), dateCache: self.server.dateCache(for: channel.eventLoop),
                codec: HTTPServerCodec(encoder: encoder, decoder: decoder), link: link, scheme: self.scheme,
                quiescedAtStart: self.server.isQuiescing))
    }

    /// HTTP/2: one ``HTTPConnectionHandler`` per stream behind swift-nio-http2's HTTP/1-shaped codec.
    func configureHTTP2(_ channel: any Channel) throws {
        let configuration = self.server.configuration
        let manager = NIOHTTP2ServerConnectionManagementHandler(
            eventLoop: channel.eventLoop,
            configuration: .init(
                maxIdleTime: configuration.idleTimeout, maxAge: nil, maxGraceTime: configuration.shutdownGracePeriod, keepalive: nil))
        var connection = NIOHTTP2Handler.ConnectionConfiguration()
        connection.initialSettings = [
            HTTP2Setting(parameter: .maxConcurrentStreams, value: self.http2.maxConcurrentStreams),
            HTTP2Setting(parameter: .initialWindowSize, value: self.http2.initialWindowSize),
            HTTP2Setting(parameter: .maxFrameSize, value: min(max(self.http2.maxFrameSize, 1 << 14), (1 << 24) - 1)),
            HTTP2Setting(parameter: .maxHeaderListSize, value: configuration.maxHeaderSize),
        ]
        connection.maximumRecentlyResetStreams = 32
        var stream = NIOHTTP2Handler.StreamConfiguration()
        stream.targetWindowSize = self.http2.initialWindowSize
        let server = self.server
        let scheme = self.scheme
        _ = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
            mode: .server, connectionConfiguration: connection, streamConfiguration: stream,
            streamDelegate: manager.http2StreamDelegate
        ) { stream in
            stream.eventLoop.makeCompletedFuture {
                try stream.pipeline.syncOperations.addHandler(HTTP2FramePayloadToHTTP1ServerCodec())
                try stream.pipeline.syncOperations.addHandler(
                    HTTPConnectionHandler(
                        responder: server.responder, configuration: server.configuration,
                        executor: server.executor(for: stream.eventLoop), dateCache: server.dateCache(for: stream.eventLoop),
                        scheme: scheme, multiplexed: true))
            }
        }
        try channel.pipeline.syncOperations.addHandler(manager)
        if server.isQuiescing {
            // Shutdown began while the protocol was chosen: GOAWAY at once.
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
    }
}
