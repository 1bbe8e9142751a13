import NIOCore
import NIOHTTP1
import NIOWebSocket

/// A WebSocket handshake in progress on an HTTP connection: the handler runs and has not
/// accepted or refused yet.
final class WebSocketHandshake {
    let head: HTTPRequestHead
    let admission: WebSocketAdmission
    let inbox: WebSocketInbox
    let link: ChannelWebSocketLink
    var task: Task<Void, Never>?
    /// Whether the request's end was seen and the handler started.
    var started = false

    init(head: HTTPRequestHead, admission: WebSocketAdmission, inbox: WebSocketInbox, link: ChannelWebSocketLink) {
        self.head = head
        self.admission = admission
        self.inbox = inbox
        self.link = link
    }
}

extension HTTPConnectionHandler {
    /// Whether a request head asks for a WebSocket (`Upgrade: websocket` on a GET).
    static func isWebSocketUpgrade(_ head: HTTPRequestHead) -> Bool {
        // The cheap tests first: this runs for every request head.
        guard head.method == .GET, Self.isUpgradeForParser(head) else { return false }
        return head.headers[canonicalForm: "upgrade"].contains { $0.lowercased() == "websocket" }
    }

    /// Whether llhttp takes a request for an upgrade, after which NIO's decoder stops parsing:
    /// `Upgrade` together with `Connection: upgrade` (a `CONNECT` is refused and closed anyway).
    static func isUpgradeForParser(_ head: HTTPRequestHead) -> Bool {
        // The cheap test first: this runs for every request head.
        guard head.headers.contains(name: "upgrade") else { return false }
        return head.headers[canonicalForm: "connection"].contains { $0.lowercased() == "upgrade" }
    }

    /// Routes an upgrade request: a WebSocket route starts its handshake; a bad handshake gets
    /// 400/426, a path without a WebSocket route 403 (as uvicorn answers).
    func receiveWebSocketHead(_ head: HTTPRequestHead, request: Request, context: ChannelHandlerContext) {
        guard let admission = self.pipeline.admitWebSocket(request) else {
            self.refuse(.detail("No WebSocket route at this path", status: .forbidden), version: head.version, context: context)
            return
        }
        guard head.headers[canonicalForm: "sec-websocket-version"].count == 1,
            head.headers.first(name: "sec-websocket-version") == "13"
        else {
            self.refuse(
                .detail("Unsupported WebSocket version", status: .upgradeRequired, headers: ["sec-websocket-version": "13"]),
                version: head.version, context: context)
            return
        }
        guard head.headers[canonicalForm: "sec-websocket-key"].count == 1,
            let key = head.headers.first(name: "sec-websocket-key"), Self.isValidKey(key)
        else {
            self.refuse(.detail("Invalid Sec-WebSocket-Key", status: .badRequest), version: head.version, context: context)
            return
        }
        let link = ChannelWebSocketLink(handler: self, context: context)
        let inbox = WebSocketInbox { [link] in link.resumeReading() }
        self.state = .webSocket(WebSocketHandshake(head: head, admission: admission, inbox: inbox, link: link))
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

    /// The upgrade request ended: the handler starts (it accepts or refuses later).
    func startWebSocketHandler(_ handshake: WebSocketHandshake, context: ChannelHandlerContext) {
        // The handler may take its time to decide (authentication...): no request timeout now.
        self.timer?.cancel()
        self.timer = nil
        handshake.task = handshake.admission.start(link: handshake.link, inbox: handshake.inbox, executor: self.executor)
    }

    /// `accept`: the 101 response, then the pipeline becomes NIOWebSocket's frame decoder and
    /// encoder and a ``WebSocketChannelHandler``; this handler leaves.
    func upgradeToWebSocket(headers: HTTPHeaders, link: ChannelWebSocketLink, context: ChannelHandlerContext) -> EventLoopFuture<Void> {
        guard case .webSocket(let handshake) = self.state, context.channel.isActive else {
            return context.eventLoop.makeFailedFuture(WebSocketDisconnect(code: .abnormalClosure))
        }
        let head = handshake.head
        let socketHandler = WebSocketChannelHandler(inbox: handshake.inbox, configuration: self.configuration.webSocket)
        socketHandler.task = handshake.task
        let boundHandler = NIOLoopBound(socketHandler, eventLoop: context.eventLoop)
        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: self.configuration.webSocket.maxFrameSize, automaticErrorHandling: false,
            shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture(headers) },
            upgradePipelineHandler: { channel, _ in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(boundHandler.value) }
            })
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        return upgrader.buildUpgradeResponse(channel: context.channel, upgradeRequest: head, initialResponseHeaders: [:])
            .flatMapThrowing { responseHeaders in
                let (handler, context) = loopBound.value
                // No more HTTP parsing: bytes the decoder still holds come here, kept for the frame decoder.
                handler.upgraded = true
                if let codec = handler.codec { context.pipeline.syncOperations.removeHandler(codec.decoder, promise: nil) }
                context.writeAndFlush(
                    handler.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .switchingProtocols, headers: responseHeaders))),
                    promise: nil)
                if let codec = handler.codec { context.pipeline.syncOperations.removeHandler(codec.encoder, promise: nil) }
            }
            .flatMap { upgrader.upgrade(context: loopBound.value.1, upgradeRequest: head) }
            .flatMapThrowing {
                let (handler, context) = loopBound.value
                let socketContext = try context.pipeline.syncOperations.context(handler: boundHandler.value)
                link.opened(boundHandler.value, context: socketContext)
                if handler.quiescing {
                    boundHandler.value.sendClose(.goingAway, reason: "server shutting down", context: socketContext)
                }
                handler.state = .closing
                // Leaving the pipeline hands the bytes that came early to the frame decoder.
                context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            }
    }

    /// Refusal before accept: the HTTP response, then the connection closes.
    func refuseWebSocket(_ response: Response, context: ChannelHandlerContext) {
        guard case .webSocket(let handshake) = self.state, context.channel.isActive else { return }
        self.state = .responding(nil)
        self.write(response, version: handshake.head.version, isHead: false, close: true, context: context)
    }

    /// Hands the bytes that arrived during the upgrade to the frame decoder, then leaves.
    func removeHandler(context: ChannelHandlerContext, removalToken: ChannelHandlerContext.RemovalToken) {
        let pending = self.pendingUpgradeBytes
        self.pendingUpgradeBytes = []
        for bytes in pending { context.fireChannelRead(bytes) }
        if !pending.isEmpty { context.fireChannelReadComplete() }
        let channel = context.channel
        let readHeld = self.readHeld
        context.leavePipeline(removalToken: removalToken)
        // Reads paused during the handshake resume for the frame handler.
        if readHeld { channel.read() }
    }
}
