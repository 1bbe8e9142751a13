import Apus
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// How a ``WebSocketTestSession`` talks to the handler: in-process or over a socket.
protocol TestWebSocketTransport: Sendable {
    func receive() async throws -> WebSocketMessage
    func send(_ message: WebSocketMessage) async throws
    func close(code: WebSocketCloseCode, reason: String) async
}

/// The client end of a WebSocket over a real socket, for ``TestClient`` in live mode: NIO's
/// client upgrader (masked frames, `Sec-WebSocket-Key` checked against the server's accept
/// value), then whole messages in, pongs out and the closing handshake.
final class LiveWebSocketConnection: TestWebSocketTransport {
    enum Handshake {
        case upgraded(LiveWebSocketConnection, headers: HTTPHeaders)
        case refused(TestResponse)
    }

    let channel: any Channel
    let inbox: WebSocketInbox
    private let frames: NIOLoopBound<ClientFrameHandler>

    private init(channel: any Channel, inbox: WebSocketInbox, frames: NIOLoopBound<ClientFrameHandler>) {
        self.channel = channel
        self.inbox = inbox
        self.frames = frames
    }

    /// What answered the upgrade request first (promises ignore later completions).
    private enum Answer {
        case upgraded(HTTPResponseHead)
        case refused(TestResponse)
    }

    /// Connects, sends the upgrade request and waits for the 101 or the refusal.
    static func open(uri: String, headers: HTTPHeaders, port: Int, group: any EventLoopGroup) async throws -> Handshake {
        let eventLoop = group.next()
        let answer = eventLoop.makePromise(of: Answer.self)
        let inbox = WebSocketInbox()
        let frames = NIOLockedValueBox<NIOLoopBound<ClientFrameHandler>?>(nil)
        let channel = try await ClientBootstrap(group: eventLoop)
            .channelInitializer { channel in
                let boundFrameHandler = NIOLoopBound(ClientFrameHandler(inbox: inbox), eventLoop: channel.eventLoop)
                frames.withLockedValue { $0 = boundFrameHandler }
                let collector = RefusalCollector { answer.succeed(.refused($0)) }
                let boundCollector = NIOLoopBound(collector, eventLoop: channel.eventLoop)
                let upgrader = NIOWebSocketClientUpgrader(maxFrameSize: 64 << 20, automaticErrorHandling: false) { channel, head in
                    channel.eventLoop.makeCompletedFuture {
                        // Frames from now on: the HTTP response collector must not see them.
                        channel.pipeline.syncOperations.removeHandler(boundCollector.value, promise: nil)
                        try channel.pipeline.syncOperations.addHandler(boundFrameHandler.value)
                        answer.succeed(.upgraded(head))
                    }
                }
                return channel.eventLoop.makeCompletedFuture {
                    // Frames the server sends right after its 101 arrive with it: they are handed on, not dropped.
                    try channel.pipeline.syncOperations.addHTTPClientHandlers(
                        leftOverBytesStrategy: .forwardBytes,
                        withClientUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
                    try channel.pipeline.syncOperations.addHandler(collector)
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        channel.closeFuture.whenComplete { _ in answer.fail(TestClientError.connectionClosed) }
        var headers = headers
        if !headers.contains(name: "host") { headers.add(name: "host", value: "127.0.0.1:\(port)") }
        headers.add(name: "content-length", value: "0")
        let request = HTTPRequestHead(version: .http1_1, method: .GET, uri: uri, headers: headers)
        channel.write(HTTPClientRequestPart.head(request), promise: nil)
        try await channel.writeAndFlush(HTTPClientRequestPart.end(nil)).get()
        switch try await answer.futureResult.get() {
        case .upgraded(let head):
            guard let handler = frames.withLockedValue({ $0 }) else { throw TestClientError.connectionClosed }
            return .upgraded(LiveWebSocketConnection(channel: channel, inbox: inbox, frames: handler), headers: head.headers)
        case .refused(let response):
            try? await channel.close()
            return .refused(response)
        }
    }

    func receive() async throws -> WebSocketMessage { try await self.inbox.next() }

    func send(_ message: WebSocketMessage) async throws {
        if let end = self.inbox.end { throw end }
        let frame: WebSocketFrame
        switch message {
        case .text(let text): frame = WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: ByteBuffer(string: text))
        case .binary(let bytes): frame = WebSocketFrame(fin: true, opcode: .binary, maskKey: .random(), data: bytes)
        }
        do {
            try await self.channel.writeAndFlush(frame).get()
        } catch {
            // The server may close (after its close frame, say 1009 for this very message) while
            // the message is still being written: like a browser's WebSocket, sending does not
            // fail then; `receive()` reports how the connection ended.
            guard error is IOError || error is ChannelError else { throw error }
        }
    }

    /// Sends the close frame and waits (at most 5 s) for the server to end the connection.
    func close(code: WebSocketCloseCode, reason: String) async {
        let frames = self.frames
        try? await self.channel.eventLoop.submit { frames.value.sendClose(code, reason: reason, channel: self.channel) }.get()
        let timeout = self.channel.eventLoop.scheduleTask(in: .seconds(5)) { [channel] in channel.close(promise: nil) }
        try? await self.channel.closeFuture.get()
        timeout.cancel()
    }
}

/// Collects the HTTP response of a refused upgrade.
private final class RefusalCollector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    private let refused: (TestResponse) -> Void
    private var head: HTTPResponseHead?
    private var body = ByteBuffer()

    init(refused: @escaping (TestResponse) -> Void) { self.refused = refused }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body(var chunk): self.body.writeBuffer(&chunk)
        case .end:
            if let head { self.refused(TestResponse(status: head.status, headers: head.headers, body: self.body)) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // The upgrade handler reports a refusal as an error, then passes the response on.
    }
}

/// The client's frames: whole messages into the inbox, pongs for pings, the closing handshake.
private final class ClientFrameHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let inbox: WebSocketInbox
    private var partial: (opcode: WebSocketOpcode, data: ByteBuffer)?
    private var closeSent = false

    init(inbox: WebSocketInbox) { self.inbox = inbox }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = self.unwrapInboundIn(data)
        switch frame.opcode {
        case .text, .binary, .continuation:
            var data = frame.unmaskedData
            if frame.opcode == .continuation {
                guard var partial = self.partial else { return }
                partial.data.writeBuffer(&data)
                self.partial = partial
            } else {
                self.partial = (frame.opcode, data)
            }
            guard frame.fin, let whole = self.partial else { return }
            self.partial = nil
            if whole.opcode == .text {
                self.inbox.push(.text(String(buffer: whole.data)))
            } else {
                self.inbox.push(.binary(whole.data))
            }
        case .ping:
            context.writeAndFlush(
                self.wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)),
                promise: nil)
        case .connectionClose:
            var data = frame.unmaskedData
            let code = data.readInteger(as: UInt16.self).map(WebSocketCloseCode.init(rawValue:)) ?? .noStatusReceived
            let reason = data.readString(length: data.readableBytes) ?? ""
            self.inbox.finish(WebSocketDisconnect(code: code, reason: reason))
            if !self.closeSent {
                self.closeSent = true
                var echo = context.channel.allocator.buffer(capacity: 2)
                if code != .noStatusReceived { echo.writeInteger(code.rawValue) }
                let channel = context.channel
                context.writeAndFlush(
                    self.wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: echo))
                ).whenComplete { _ in channel.close(promise: nil) }
            } else {
                context.close(promise: nil)
            }
        default:
            break
        }
    }

    func sendClose(_ code: WebSocketCloseCode, reason: String, channel: any Channel) {
        guard !self.closeSent, channel.isActive else { return }
        self.closeSent = true
        var data = channel.allocator.buffer(capacity: 2 + reason.utf8.count)
        data.writeInteger(code.rawValue)
        data.writeString(reason)
        self.inbox.finish(WebSocketDisconnect(code: code, reason: reason))
        channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: data), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.inbox.finish(WebSocketDisconnect(code: .abnormalClosure))
        context.fireChannelInactive()
    }
}
