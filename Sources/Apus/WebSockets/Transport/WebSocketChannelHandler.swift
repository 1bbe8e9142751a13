import NIOCore
import NIOWebSocket

/// One upgraded WebSocket connection, after NIOWebSocket's frame decoder and encoder: joins
/// fragments, enforces the message size (1009) and UTF-8 of text (1007), answers pings,
/// pings a quiet client and drops one that does not answer, runs the closing handshake, and
/// applies backpressure both ways (reads pause while the handler's inbox is full; a send
/// waits while the channel is not writable). Everything runs on the channel's event loop.
final class WebSocketChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let inbox: WebSocketInbox
    private let configuration: WebSocketConfiguration
    /// The handler's task: cancelled when the client vanishes.
    var task: Task<Void, Never>?
    private var partial: (opcode: WebSocketOpcode, data: ByteBuffer)?
    private var closeSent = false
    /// The client broke the protocol: what it sends now is discarded.
    private var failed = false
    private var closeReceived = false
    private var readPaused = false
    private var readPending = false
    private var writabilityWaiters: [EventLoopPromise<Void>] = []
    private var lastFrame = NIODeadline.now()
    private var pingSentAt: NIODeadline?
    private var keepAlive: RepeatedTask?
    private var closeTimer: Scheduled<Void>?

    init(inbox: WebSocketInbox, configuration: WebSocketConfiguration) {
        self.inbox = inbox
        self.configuration = configuration
    }

    func handlerAdded(context: ChannelHandlerContext) {
        guard let interval = self.configuration.pingInterval else { return }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let check = TimeAmount.nanoseconds(max(interval.nanoseconds / 4, 10_000_000))
        self.keepAlive = context.eventLoop.scheduleRepeatedTask(initialDelay: check, delay: check) { _ in
            let (handler, context) = loopBound.value
            handler.checkLiveness(interval: interval, context: context)
        }
    }

    // MARK: - Keep-alive

    private func checkLiveness(interval: TimeAmount, context: ChannelHandlerContext) {
        // Once our close frame is out, the close timeout decides: a ping's answer may be
        // unreadable then (after a protocol failure the frame decoder stops), and dropping the
        // connection with the client's bytes unread would reset it and lose the close frame.
        guard !self.closeSent else { return }
        let now = NIODeadline.now()
        if let sentAt = self.pingSentAt {
            if now - sentAt > self.configuration.pingTimeout {
                // No frame since the ping: the client is gone without a close frame.
                context.close(promise: nil)
            }
        } else if now - self.lastFrame >= interval, !self.closeSent {
            self.pingSentAt = now
            var payload = context.channel.allocator.buffer(capacity: 8)
            payload.writeInteger(UInt64(truncatingIfNeeded: now.uptimeNanoseconds))
            context.writeAndFlush(self.wrapOutboundOut(WebSocketFrame(fin: true, opcode: .ping, data: payload)), promise: nil)
        }
    }

    // MARK: - Reading

    func channelReadComplete(context: ChannelHandlerContext) {
        // Bytes arrived (perhaps a large frame still incomplete): the client is there.
        self.lastFrame = .now()
        self.pingSentAt = nil
        context.fireChannelReadComplete()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = self.unwrapInboundIn(data)
        self.lastFrame = .now()
        self.pingSentAt = nil
        if self.failed {
            if frame.opcode == .connectionClose { context.close(promise: nil) }
            return
        }
        guard frame.maskKey != nil, frame.rsv1 == false, frame.rsv2 == false, frame.rsv3 == false else {
            // RFC 6455 5.1: a client masks every frame; no extension was negotiated.
            self.fail(.protocolError, reason: "frames must be masked and use no reserved bits", context: context)
            return
        }
        switch frame.opcode {
        case .text, .binary:
            guard self.partial == nil else {
                self.fail(.protocolError, reason: "a new message started before the last one ended", context: context)
                return
            }
            let data = frame.unmaskedData
            guard data.readableBytes <= self.configuration.maxMessageSize else {
                self.fail(.messageTooBig, reason: "message too big", context: context)
                return
            }
            if frame.fin {
                self.deliver(frame.opcode, data, context: context)
            } else {
                self.partial = (frame.opcode, data)
            }
        case .continuation:
            guard var partial = self.partial else {
                self.fail(.protocolError, reason: "a continuation frame without a message", context: context)
                return
            }
            self.partial = nil
            var data = frame.unmaskedData
            guard partial.data.readableBytes + data.readableBytes <= self.configuration.maxMessageSize else {
                self.fail(.messageTooBig, reason: "message too big", context: context)
                return
            }
            partial.data.writeBuffer(&data)
            if frame.fin {
                self.deliver(partial.opcode, partial.data, context: context)
            } else {
                self.partial = partial
            }
        case .ping:
            if !self.closeSent {
                context.writeAndFlush(
                    self.wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
            }
        case .pong:
            break
        case .connectionClose:
            self.receivedClose(frame.unmaskedData, context: context)
        default:
            self.fail(.protocolError, reason: "unknown opcode", context: context)
        }
    }

    private func deliver(_ opcode: WebSocketOpcode, _ data: ByteBuffer, context: ChannelHandlerContext) {
        guard !self.closeSent else { return }
        let message: WebSocketMessage
        if opcode == .text {
            guard let text = data.withUnsafeReadableBytes({ (bytes: UnsafeRawBufferPointer) in UTF8Text.string(bytes) }) else {
                self.fail(.invalidPayload, reason: "text message is not valid UTF-8", context: context)
                return
            }
            message = .text(text)
        } else {
            message = .binary(data)
        }
        if !self.inbox.push(message) { self.readPaused = true }
    }

    private func receivedClose(_ data: ByteBuffer, context: ChannelHandlerContext) {
        guard !self.closeReceived else { return }
        self.closeReceived = true
        var data = data
        var code = WebSocketCloseCode.noStatusReceived
        var reason = ""
        if data.readableBytes >= 2, let raw = data.readInteger(as: UInt16.self) {
            code = WebSocketCloseCode(rawValue: raw)
            guard let text = data.withUnsafeReadableBytes({ (bytes: UnsafeRawBufferPointer) in UTF8Text.string(bytes) }) else {
                self.fail(.invalidPayload, reason: "close reason is not valid UTF-8", context: context)
                return
            }
            reason = text
            guard code.isSendable else {
                self.fail(.protocolError, reason: "invalid close code", context: context)
                return
            }
        } else if data.readableBytes == 1 {
            self.fail(.protocolError, reason: "a close frame of one byte", context: context)
            return
        }
        self.inbox.finish(WebSocketDisconnect(code: code, reason: reason))
        if self.closeSent {
            context.close(promise: nil)
        } else {
            // Echo the code (RFC 6455 5.5.1), then end the connection.
            self.closeSent = true
            let echo = code == .noStatusReceived ? nil : code
            let channel = context.channel
            context.writeAndFlush(self.wrapOutboundOut(self.closeFrame(echo, reason: "", context: context))).whenComplete { _ in
                channel.close(promise: nil)
            }
        }
    }

    /// The client broke a rule: close with `code`; the handler's `receive` throws it. Nothing
    /// more it sends is used (RFC 6455 7.1.7), but it is still read until the client closes:
    /// closing a socket with unread bytes makes the kernel send a reset, which can overtake the
    /// close frame and leave the client with 1006 instead of the code.
    private func fail(_ code: WebSocketCloseCode, reason: String, context: ChannelHandlerContext) {
        self.partial = nil
        self.failed = true
        self.inbox.finish(WebSocketDisconnect(code: code, reason: reason))
        self.sendClose(code, reason: reason, context: context)
    }

    func read(context: ChannelHandlerContext) {
        if self.readPaused {
            self.readPending = true
        } else {
            context.read()
        }
    }

    /// The handler took enough of its inbox: read again.
    func resumeReading(context: ChannelHandlerContext) {
        self.readPaused = false
        if self.readPending {
            self.readPending = false
            context.read()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // After a failure the frame decoder reports every later read as an error: already answered.
        guard !self.failed else { return }
        switch error as? NIOWebSocketError {
        case .invalidFrameLength:
            self.fail(.messageTooBig, reason: "frame too big", context: context)
        case .fragmentedControlFrame, .multiByteControlFrameLength:
            self.fail(.protocolError, reason: "invalid control frame", context: context)
        default:
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.keepAlive?.cancel()
        self.closeTimer?.cancel()
        if !self.closeReceived && !self.closeSent {
            // Gone without a close frame (or silent past the ping timeout): the handler's task is cancelled.
            self.task?.cancel()
        }
        // No-op when a close frame already ended the inbox.
        self.inbox.finish(WebSocketDisconnect(code: .abnormalClosure))
        let waiters = self.writabilityWaiters
        self.writabilityWaiters = []
        let end = self.inbox.end ?? WebSocketDisconnect(code: .abnormalClosure)
        for waiter in waiters { waiter.fail(end) }
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is QuiesceEvent {
            // Graceful shutdown.
            self.sendClose(.goingAway, reason: "server shutting down", context: context)
            return
        }
        if let event = event as? ChannelEvent, event == .inputClosed {
            // The client ended its side (the server allows half-closure for HTTP): nothing more
            // comes, so the connection ends as if it had closed.
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    // MARK: - Writing

    /// Sends a message; the future completes when the channel can take more.
    func send(_ message: WebSocketMessage, context: ChannelHandlerContext) -> EventLoopFuture<Void> {
        self.write(message, context: context) ?? context.eventLoop.makeSucceededVoidFuture()
    }

    /// Writes a message; returns `nil` when the channel can take more at once, else a future
    /// that completes when it can (or fails when the connection ends).
    func write(_ message: WebSocketMessage, context: ChannelHandlerContext) -> EventLoopFuture<Void>? {
        guard !self.closeSent, context.channel.isActive else {
            return context.eventLoop.makeFailedFuture(self.inbox.end ?? WebSocketDisconnect(code: .abnormalClosure))
        }
        let frame: WebSocketFrame
        switch message {
        case .text(let text): frame = WebSocketFrame(fin: true, opcode: .text, data: context.channel.allocator.buffer(string: text))
        case .binary(let bytes): frame = WebSocketFrame(fin: true, opcode: .binary, data: bytes)
        }
        context.writeAndFlush(self.wrapOutboundOut(frame), promise: nil)
        if context.channel.isWritable { return nil }
        let promise = context.eventLoop.makePromise(of: Void.self)
        self.writabilityWaiters.append(promise)
        return promise.futureResult
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            let waiters = self.writabilityWaiters
            self.writabilityWaiters = []
            for waiter in waiters { waiter.succeed() }
        }
        context.fireChannelWritabilityChanged()
    }

    /// Sends the close frame once; the connection ends when the client answers or after the close timeout.
    func sendClose(_ code: WebSocketCloseCode, reason: String, context: ChannelHandlerContext) {
        guard !self.closeSent, context.channel.isActive else { return }
        self.closeSent = true
        self.inbox.finish(WebSocketDisconnect(code: code, reason: reason))
        let frame = self.closeFrame(code, reason: reason, context: context)
        if self.closeReceived {
            let channel = context.channel
            context.writeAndFlush(self.wrapOutboundOut(frame)).whenComplete { _ in channel.close(promise: nil) }
            return
        }
        let channel = context.channel
        let failed = self.failed
        context.writeAndFlush(self.wrapOutboundOut(frame)).whenSuccess {
            // After a failure the client's answer may be unreadable (the frame decoder stopped):
            // end our side so that it sees the close frame, then the end, and closes too.
            if failed { channel.close(mode: .output, promise: nil) }
        }
        self.closeTimer = context.eventLoop.scheduleTask(in: self.configuration.closeTimeout) {
            channel.close(promise: nil)
        }
    }

    private func closeFrame(_ code: WebSocketCloseCode?, reason: String, context: ChannelHandlerContext) -> WebSocketFrame {
        var data = context.channel.allocator.buffer(capacity: 2 + reason.utf8.count)
        if let code {
            data.writeInteger(code.isSendable ? code.rawValue : WebSocketCloseCode.normalClosure.rawValue)
            // A close frame's payload is at most 125 bytes: the reason is cut at a character boundary.
            var cut = Substring(reason)
            while cut.utf8.count > 123 { cut.removeLast() }
            data.writeString(String(cut))
        }
        return WebSocketFrame(fin: true, opcode: .connectionClose, data: data)
    }
}
