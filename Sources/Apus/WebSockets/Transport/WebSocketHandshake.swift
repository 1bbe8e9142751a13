import NIOCore
import NIOHTTP1
import NIOWebSocket

/// A WebSocket handshake in progress on an HTTP connection (its ``ConnectionUpgrade``): the
/// handler runs once the request ended and has not accepted or refused yet.
final class WebSocketHandshake: ConnectionUpgrade {
    let head: HTTPRequestHead
    let inbox: WebSocketInbox
    let link: ChannelWebSocketLink
    private let configuration: WebSocketConfiguration
    /// Starts the handler's task (the request pipeline's part: middleware, parameters, handler).
    private let startHandler: (ChannelWebSocketLink, WebSocketInbox) -> Task<Void, Never>?
    var task: Task<Void, Never>?

    init(
        head: HTTPRequestHead, connection: HTTPConnectionHandler, context: ChannelHandlerContext,
        configuration: WebSocketConfiguration, startHandler: @escaping (ChannelWebSocketLink, WebSocketInbox) -> Task<Void, Never>?
    ) {
        self.head = head
        self.configuration = configuration
        self.startHandler = startHandler
        let link = ChannelWebSocketLink(eventLoop: context.eventLoop)
        self.link = link
        self.inbox = WebSocketInbox { [link] in link.resumeReading() }
        link.begin(self, connection: connection, context: context)
    }

    /// Whether a request head asks for a WebSocket (`Upgrade: websocket` on a GET).
    static func isWebSocketUpgrade(_ head: HTTPRequestHead) -> Bool {
        guard head.method == .GET else { return false }
        return head.headers[canonicalForm: "upgrade"].contains { $0.lowercased() == "websocket" }
    }

    /// The response refusing a malformed handshake (426 for another version, 400 for a bad
    /// key), or `nil` when it is well formed.
    static func refusal(for head: HTTPRequestHead) -> Response? {
        guard head.headers[canonicalForm: "sec-websocket-version"].count == 1,
            head.headers.first(name: "sec-websocket-version") == "13"
        else {
            return .detail("Unsupported WebSocket version", status: .upgradeRequired, headers: ["sec-websocket-version": "13"])
        }
        guard head.headers[canonicalForm: "sec-websocket-key"].count == 1,
            let key = head.headers.first(name: "sec-websocket-key"), Self.isValidKey(key)
        else {
            return .detail("Invalid Sec-WebSocket-Key", status: .badRequest)
        }
        return nil
    }

    /// A key is 16 bytes in base64: 24 characters ending in `==`.
    private static func isValidKey(_ key: String) -> Bool {
        let bytes = Array(key.utf8)
        guard bytes.count == 24, bytes[22] == UInt8(ascii: "="), bytes[23] == UInt8(ascii: "=") else { return false }
        return bytes[..<22].allSatisfy { byte in
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/")
        }
    }

    // MARK: - ConnectionUpgrade

    /// The upgrade request ended: the handler starts (it accepts or refuses later).
    func start(connection: HTTPConnectionHandler, context: ChannelHandlerContext) {
        self.task = self.startHandler(self.link, self.inbox)
    }

    /// Gone before the handler accepted or refused.
    func connectionClosed() {
        self.inbox.finish(WebSocketDisconnect(code: .abnormalClosure))
        self.task?.cancel()
        self.link.ended()
    }

    // MARK: - Accept and refuse

    /// `accept`: the 101 response, then the pipeline becomes NIOWebSocket's frame decoder and
    /// encoder and a ``WebSocketChannelHandler``; the HTTP connection handler leaves.
    func accept(headers: HTTPHeaders, connection: HTTPConnectionHandler, context: ChannelHandlerContext) -> EventLoopFuture<Void> {
        guard connection.isUpgrading, context.channel.isActive else {
            return context.eventLoop.makeFailedFuture(WebSocketDisconnect(code: .abnormalClosure))
        }
        let head = self.head
        let link = self.link
        let socketHandler = WebSocketChannelHandler(inbox: self.inbox, configuration: self.configuration)
        socketHandler.task = self.task
        let boundHandler = NIOLoopBound(socketHandler, eventLoop: context.eventLoop)
        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: self.configuration.maxFrameSize, automaticErrorHandling: false,
            shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture(headers) },
            upgradePipelineHandler: { channel, _ in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(boundHandler.value) }
            })
        let loopBound = NIOLoopBound((connection, context), eventLoop: context.eventLoop)
        return upgrader.buildUpgradeResponse(channel: context.channel, upgradeRequest: head, initialResponseHeaders: [:])
            .flatMapThrowing { responseHeaders in
                let (connection, context) = loopBound.value
                connection.switchProtocols(
                    to: HTTPResponseHead(version: head.version, status: .switchingProtocols, headers: responseHeaders), context: context)
            }
            .flatMap { upgrader.upgrade(context: loopBound.value.1, upgradeRequest: head) }
            .flatMapThrowing {
                let (connection, context) = loopBound.value
                let socketContext = try context.pipeline.syncOperations.context(handler: boundHandler.value)
                link.opened(boundHandler.value, context: socketContext)
                if connection.quiescing {
                    boundHandler.value.sendClose(.goingAway, reason: "server shutting down", context: socketContext)
                }
                connection.completeUpgrade(context: context)
            }
    }

    /// Refusal before accept: the HTTP response, then the connection closes.
    func refuse(_ response: Response, connection: HTTPConnectionHandler, context: ChannelHandlerContext) {
        connection.refuseUpgrade(response, version: self.head.version, context: context)
    }
}
