import NIOCore
import NIOHTTP1

/// The HTTP/1.1 handlers of a connection's pipeline, kept so that a WebSocket upgrade can remove them.
struct HTTPServerCodec {
    let encoder: HTTPResponseEncoder
    let decoder: ByteToMessageHandler<HTTPRequestDecoder>
}

/// Asks a connection to finish its current request and close (graceful shutdown).
struct QuiesceEvent: Sendable {}

/// One HTTP/1.1 connection: turns decoded request parts into ``Request``s, enforces the
/// body limit (413, early and without buffering), the idle and slow-request timeouts, maps
/// parser errors to 400/431, hands requests to the ``Responder`` and writes responses.
///
/// Pipelined requests are answered in order, one at a time: parts that arrive while a
/// handler runs are queued and handled once its response is written. Reading goes on while
/// the queue is short, so a connection that waits for an async response does not toggle its
/// read interest (two `epoll_ctl` calls per request with NIO's `HTTPServerPipelineHandler`,
/// measured at 14-21 % of plaintext throughput); past `maxQueuedParts` reads pause.
final class HTTPConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// Parts of pipelined requests held while a handler runs before reading pauses.
    static let maxQueuedParts = 256

    enum State {
        /// Waiting for a request head.
        case idle
        /// Reading the body of a request for `route`.
        case receiving(Request, HTTPRequestHead, Responder.Route, ByteBuffer?)
        /// Routing or a limit already answered; the rest of this request is dropped.
        case discarding(closeAfter: Bool)
        /// The handler runs.
        case responding(Responder.Cancellation?)
        /// Closing: nothing more is read.
        case closing
        /// A WebSocket handshake: the handler runs and will accept or refuse.
        case webSocket(WebSocketHandshake)
    }

    let responder: Responder
    let configuration: ServerConfiguration
    /// The multipart form of the request being received, parsed as it arrives.
    private var form: MultipartCollector?
    let executor: EventLoopTaskExecutor
    var state = State.idle
    private var keepAlive = true
    var quiescing = false
    private var deadline: NIODeadline = .distantFuture
    var timer: Scheduled<Void>?
    /// The HTTP encoder and decoder, removed by a WebSocket upgrade.
    let codec: HTTPServerCodec?
    /// Set once the HTTP decoder left for a WebSocket: what arrives now are raw bytes.
    var upgraded = false
    var pendingUpgradeBytes: [NIOAny] = []
    private let dateCache: HTTPDateCache
    private var queued = CircularBuffer<HTTPServerRequestPart>()
    private var readHeld = false
    private var draining = false
    private var timerFireTime: NIODeadline = .distantFuture

    init(
        responder: Responder, configuration: ServerConfiguration, executor: EventLoopTaskExecutor,
        dateCache: HTTPDateCache, codec: HTTPServerCodec? = nil
    ) {
        self.codec = codec
        self.responder = responder
        self.dateCache = dateCache
        self.configuration = configuration
        self.executor = executor
    }

    // MARK: - Lifecycle

    func channelActive(context: ChannelHandlerContext) {
        self.arm(context: context, deadline: .now() + self.configuration.idleTimeout)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if case .responding(let cancellation) = self.state { cancellation?.cancel() }
        if case .webSocket(let handshake) = self.state {
            // Gone before the handler accepted or refused.
            handshake.inbox.finish(WebSocketDisconnect(code: .abnormalClosure))
            handshake.task?.cancel()
            handshake.link.ended()
        }
        // An upload cut off: its temporary files go.
        self.form?.discard()
        self.form = nil
        self.state = .closing
        self.queued.removeAll()
        self.timer?.cancel()
        self.timer = nil
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is QuiesceEvent {
            self.quiescing = true
            if case .idle = self.state { context.close(promise: nil) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            context.close(promise: nil)
            return
        }
        switch self.state {
        case .idle, .receiving:
            // No response is in progress: answer the malformed request and close.
            let response: Response =
                parserError == .headerOverflow
                ? .detail("Request Header Fields Too Large", status: .requestHeaderFieldsTooLarge)
                : .detail("Bad Request", status: .badRequest)
            self.state = .closing
            self.write(response, version: .http1_1, isHead: false, close: true, context: context)
        case .discarding, .responding, .closing, .webSocket:
            // This request already has (or is getting) its response: just close.
            self.state = .closing
            context.close(promise: nil)
        }
    }

    // MARK: - Timeouts

    /// One scheduled check per connection, re-armed when it fires early: moving the deadline
    /// costs a store, not a timer, on each request.
    private func arm(context: ChannelHandlerContext, deadline: NIODeadline) {
        self.deadline = deadline
        if let timer = self.timer {
            // A later deadline is picked up when the timer fires; an earlier one needs a new timer.
            guard deadline < self.timerFireTime else { return }
            timer.cancel()
        }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        self.timerFireTime = deadline
        self.timer = context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = loopBound.value
            handler.timer = nil
            handler.timerFired(context: context)
        }
    }

    private func timerFired(context: ChannelHandlerContext) {
        switch self.state {
        case .idle:
            if NIODeadline.now() >= self.deadline {
                self.state = .closing
                context.close(promise: nil)
            } else {
                self.arm(context: context, deadline: self.deadline)
            }
        case .receiving:
            if NIODeadline.now() >= self.deadline {
                self.state = .closing
                self.write(.detail("Request Timeout", status: .requestTimeout), version: .http1_1, isHead: false, close: true, context: context)
            } else {
                self.arm(context: context, deadline: self.deadline)
            }
        case .discarding, .responding, .webSocket:
            // Checked again once the response is written; a WebSocket handler decides in its own time.
            break
        case .closing:
            break
        }
    }

    // MARK: - Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if self.upgraded {
            // Raw bytes from the removed HTTP decoder: WebSocket frames, for after the upgrade.
            self.pendingUpgradeBytes.append(data)
            return
        }
        let part = self.unwrapInboundIn(data)
        switch self.state {
        case .webSocket(let handshake):
            // The upgrade request's end starts the handler; anything else before the upgrade is dropped.
            if case .end = part, !handshake.started {
                handshake.started = true
                self.startWebSocketHandler(handshake, context: context)
            }
        case .responding:
            // A pipelined request: it waits for the current response.
            self.queued.append(part)
        case .closing:
            break
        case .idle, .receiving, .discarding:
            if self.queued.isEmpty {
                self.handle(part, context: context)
            } else {
                self.queued.append(part)
                self.drain(context: context)
            }
        }
    }

    func read(context: ChannelHandlerContext) {
        if self.queued.count >= Self.maxQueuedParts {
            self.readHeld = true
        } else {
            context.read()
        }
    }

    /// Handles queued parts in order until a handler runs again or the queue is empty.
    private func drain(context: ChannelHandlerContext) {
        guard !self.draining else { return }
        self.draining = true
        defer { self.draining = false }
        loop: while !self.queued.isEmpty {
            switch self.state {
            case .idle, .receiving, .discarding:
                self.handle(self.queued.removeFirst(), context: context)
            case .closing:
                self.queued.removeAll()
                break loop
            case .responding, .webSocket:
                break loop
            }
        }
        if self.readHeld && self.queued.count < Self.maxQueuedParts {
            self.readHeld = false
            context.read()
        }
    }

    private func handle(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head(let head):
            self.receiveHead(head, context: context)
        case .body(let chunk):
            self.receiveBody(chunk, context: context)
        case .end:
            self.receiveEnd(context: context)
        }
    }

    private func receiveHead(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard case .idle = self.state else { return }
        self.keepAlive = head.isKeepAlive
        self.arm(context: context, deadline: .now() + self.configuration.requestTimeout)
        var request = Request(method: head.method, uri: head.uri, headers: head.headers)
        if Self.isWebSocketUpgrade(head) {
            self.receiveWebSocketHead(head, request: request, context: context)
            return
        }
        let route: Responder.Route
        let parameters: [(name: String, value: String)]
        switch self.responder.dispatch(request) {
        case .answer(let response):
            self.state = .discarding(closeAfter: false)
            self.write(response, version: head.version, isHead: head.method == .HEAD, close: !self.keepAlive, context: context)
            return
        case .run(let found, let foundParameters):
            route = found
            parameters = foundParameters
        }
        if route.acceptsForm, let contentType = head.headers.first(name: "content-type"),
            let collector = MultipartCollector(
                contentType: contentType, limits: self.configuration.multipart, spool: !route.uploadsInMemory)
        {
            // A multipart body is parsed while it arrives (files spooled to disk), within the multipart limits.
            self.form = collector
        } else if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > route.bodyLimit {
            self.rejectTooLarge(version: head.version, context: context)
            return
        }
        request.pathParameters = parameters
        self.state = .receiving(request, head, route, nil)
        if head.headers.first(name: "expect")?.lowercased() == "100-continue" {
            // The body is wanted and within the limit: tell the client to send it.
            context.writeAndFlush(
                self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))), promise: nil)
        }
    }

    private func receiveBody(_ chunk: ByteBuffer, context: ChannelHandlerContext) {
        guard case .receiving(let request, let head, let route, var body) = self.state else { return }
        if let form = self.form {
            // An upload may take long: the slow-request timeout applies between its pieces.
            self.arm(context: context, deadline: .now() + self.configuration.requestTimeout)
            do {
                try form.feed(chunk)
            } catch {
                self.form = nil
                self.state = .closing
                self.write(error.response(limits: self.configuration.multipart), version: head.version, isHead: false, close: true, context: context)
            }
            return
        }
        self.state = .closing  // avoid a copy of `body` while appending
        var chunk = chunk
        body.setOrWriteBuffer(&chunk)
        if let size = body?.readableBytes, size > route.bodyLimit {
            self.rejectTooLarge(version: head.version, context: context)
            return
        }
        self.state = .receiving(request, head, route, body)
    }

    /// 413, then close: the rest of the body is never read.
    private func rejectTooLarge(version: HTTPVersion, context: ChannelHandlerContext) {
        self.state = .closing
        self.write(.payloadTooLarge, version: version, isHead: false, close: true, context: context)
    }

    private func receiveEnd(context: ChannelHandlerContext) {
        switch self.state {
        case .receiving(var request, let head, let route, let body):
            request.body = body
            if let form = self.form {
                self.form = nil
                do {
                    request.form = try form.finish()
                } catch {
                    self.state = .closing
                    self.write(error.response(limits: self.configuration.multipart), version: head.version, isHead: false, close: true, context: context)
                    return
                }
            }
            self.state = .responding(nil)
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            let isHead = head.method == .HEAD
            let version = head.version
            let sentRequest = request
            let cancellation = self.responder.respond(
                to: request, route: route, eventLoop: context.eventLoop, executor: self.executor
            ) { response in
                let (handler, context) = loopBound.value
                guard case .responding = handler.state else { return }
                // A file is sent according to the request's conditional and range headers.
                let response = handler.responder.sendable(response, for: sentRequest)
                handler.write(response, version: version, isHead: isHead, close: !handler.keepAlive, context: context)
            }
            if case .responding = self.state { self.state = .responding(cancellation) }
        case .discarding(let closeAfter):
            self.state = closeAfter ? .closing : .idle
            self.requestFinished(context: context)
            self.drain(context: context)
        default:
            break
        }
    }

    /// After a request's response and its end were both seen.
    private func requestFinished(context: ChannelHandlerContext) {
        guard case .idle = self.state else { return }
        if self.quiescing || !self.keepAlive {
            self.state = .closing
            context.close(promise: nil)
            return
        }
        self.arm(context: context, deadline: .now() + self.configuration.idleTimeout)
    }

    // MARK: - Writing

    func write(_ response: Response, version: HTTPVersion, isHead: Bool, close: Bool, context: ChannelHandlerContext) {
        var headers = response.wireHeaders
        headers.add(name: "date", value: self.dateCache.current)
        let hasBody = !response.statusForbidsBody
        let stream = hasBody && !isHead ? response.bodyStream : nil
        // An HTTP/1.0 client cannot read chunks: a streamed body ends with the connection.
        let close = close || self.quiescing || (stream != nil && version.major == 1 && version.minor == 0)
        if close {
            headers.replaceOrAdd(name: "connection", value: "close")
        } else if version.major == 1 && version.minor == 0 {
            headers.replaceOrAdd(name: "connection", value: "keep-alive")
        }
        context.write(self.wrapOutboundOut(.head(HTTPResponseHead(version: version, status: response.status, headers: headers))), promise: nil)
        if let stream {
            self.stream(stream, close: close, context: context)
            return
        }
        if hasBody && !isHead && response.body.readableBytes > 0 {
            context.write(self.wrapOutboundOut(.body(.byteBuffer(response.body))), promise: nil)
        }
        self.finishResponse(close: close, context: context)
    }

    /// Writes the end of the response, then closes or gets ready for the next request.
    private func finishResponse(close: Bool, context: ChannelHandlerContext) {
        if close {
            self.state = .closing
            let channel = context.channel
            context.writeAndFlush(self.wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
            return
        }
        let finished: Bool
        if case .responding = self.state {
            self.state = .idle
            finished = true
        } else {
            // `.discarding`: answered early, the request's `.end` is still to come.
            finished = false
        }
        context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
        if finished {
            self.requestFinished(context: context)
            self.drain(context: context)
        }
    }

    /// Sends a streamed body: a task produces it, each piece written when the previous one
    /// reached the socket (backpressure); the task is cancelled if the connection closes.
    private func stream(_ stream: ResponseBodyStream, close: Bool, context: ChannelHandlerContext) {
        context.flush()
        self.timer?.cancel()
        self.timer = nil
        let eventLoop = context.eventLoop
        let loopBound = NIOLoopBound((self, context), eventLoop: eventLoop)
        let writer = ResponseBodyWriter { buffer in
            try await eventLoop.flatSubmit {
                let (handler, context) = loopBound.value
                guard context.channel.isActive else { return eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel) }
                return context.writeAndFlush(handler.wrapOutboundOut(.body(.byteBuffer(buffer))))
            }.get()
        }
        let task = Task(executorPreference: self.executor) {
            let failed: Bool
            do {
                try await stream.produce(writer)
                failed = false
            } catch {
                failed = true
            }
            eventLoop.execute {
                let (handler, context) = loopBound.value
                guard case .responding = handler.state, context.channel.isActive else { return }
                if failed {
                    // A chunked body cannot report an error: end the connection so the client sees it incomplete.
                    handler.state = .closing
                    context.close(promise: nil)
                } else {
                    handler.finishResponse(close: close, context: context)
                }
            }
        }
        if case .responding = self.state { self.state = .responding(.task(task)) }
    }
}
