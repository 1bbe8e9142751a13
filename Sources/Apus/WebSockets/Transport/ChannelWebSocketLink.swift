import NIOCore
import NIOHTTP1

/// The ``WebSocketLink`` of a socket: before accept it talks to the handshake (which performs
/// the upgrade on the HTTP connection), after it to the ``WebSocketChannelHandler``.
/// Every call hops to the channel's event loop, where the handlers live.
final class ChannelWebSocketLink: WebSocketLink {
    enum Target {
        case handshake(WebSocketHandshake, HTTPConnectionHandler, ChannelHandlerContext)
        case open(WebSocketChannelHandler, ChannelHandlerContext)
        case gone
    }

    let eventLoop: any EventLoop
    /// Only touched on `eventLoop`.
    private let target: NIOLoopBoundBox<Target>

    /// Call on `eventLoop`; the link is idle until ``begin(_:connection:context:)``.
    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
        self.target = NIOLoopBoundBox(.gone, eventLoop: eventLoop)
    }

    /// Call on the event loop: `handshake` accepts or refuses for this link now (until it is
    /// accepted, refused or the connection ends, the handshake and the link hold each other).
    func begin(_ handshake: WebSocketHandshake, connection: HTTPConnectionHandler, context: ChannelHandlerContext) {
        self.target.value = .handshake(handshake, connection, context)
    }

    /// Call on the event loop: the upgrade is done, `handler` carries the socket now.
    func opened(_ handler: WebSocketChannelHandler, context: ChannelHandlerContext) {
        self.target.value = .open(handler, context)
    }

    /// Call on the event loop: the connection ended.
    func ended() { self.target.value = .gone }

    func accept(subprotocol: String?, headers: HTTPHeaders) async throws {
        try await self.eventLoop.flatSubmit { () -> EventLoopFuture<Void> in
            guard case .handshake(let handshake, let connection, let context) = self.target.value else {
                return self.eventLoop.makeFailedFuture(WebSocketDisconnect(code: .abnormalClosure))
            }
            var headers = headers
            if let subprotocol { headers.replaceOrAdd(name: "sec-websocket-protocol", value: subprotocol) }
            return handshake.accept(headers: headers, connection: connection, context: context)
        }.get()
    }

    func reject(_ rejection: WebSocketRejection) {
        self.eventLoop.execute {
            guard case .handshake(let handshake, let connection, let context) = self.target.value else { return }
            self.target.value = .gone
            handshake.refuse(rejection.response, connection: connection, context: context)
        }
    }

    func send(_ message: WebSocketMessage) async throws {
        if self.eventLoop.inEventLoop {
            // The handler's task runs on the connection's loop (the default placement): write
            // now, and wait only when the channel is not writable.
            guard case .open(let handler, let context) = self.target.value else { throw WebSocketDisconnect(code: .abnormalClosure) }
            if let full = handler.write(message, context: context) { try await full.get() }
            return
        }
        try await self.eventLoop.flatSubmit { () -> EventLoopFuture<Void> in
            guard case .open(let handler, let context) = self.target.value else {
                return self.eventLoop.makeFailedFuture(WebSocketDisconnect(code: .abnormalClosure))
            }
            return handler.send(message, context: context)
        }.get()
    }

    func close(code: WebSocketCloseCode, reason: String) {
        self.eventLoop.execute {
            guard case .open(let handler, let context) = self.target.value else { return }
            handler.sendClose(code, reason: reason, context: context)
        }
    }

    /// The handler's inbox has room again.
    func resumeReading() {
        self.eventLoop.execute {
            guard case .open(let handler, let context) = self.target.value else { return }
            handler.resumeReading(context: context)
        }
    }
}
