import NIOCore
import NIOHTTP1

/// The HTTP/1.1 handlers of a connection's pipeline, kept so that an upgrade can remove them.
struct HTTPServerCodec {
    let encoder: HTTPResponseEncoder
    let decoder: ByteToMessageHandler<RequestDecoder>
}

/// Parts of pipelined requests waiting for the current response, with the body bytes they hold.
struct QueuedParts {
    private var parts = CircularBuffer<HTTPServerRequestPart>()
    /// Body bytes in the queue.
    private(set) var bodyBytes = 0

    var isEmpty: Bool { self.parts.isEmpty }
    var count: Int { self.parts.count }
    var first: HTTPServerRequestPart? { self.parts.first }

    mutating func append(_ part: HTTPServerRequestPart) {
        if case .body(let chunk) = part { self.bodyBytes += chunk.readableBytes }
        self.parts.append(part)
    }

    mutating func removeFirst() {
        if case .body(let chunk) = self.parts.removeFirst() { self.bodyBytes -= chunk.readableBytes }
    }

    mutating func removeAll() {
        self.parts.removeAll()
        self.bodyBytes = 0
    }
}

/// Asks a connection to finish its current request and close (graceful shutdown).
struct QuiesceEvent: Sendable {}

/// One HTTP/1.1 connection: turns decoded request parts into ``Request``s, enforces the
/// body limit (413, early and without buffering), the idle and slow-request timeouts, maps
/// parser errors to 400/431, hands requests to its ``HTTPResponder`` (``HTTPResponder/admit(_:)``,
/// then the ``RequestIntake`` it returns), writes the responses, and lets the responder take
/// the connection over for an upgrade (``ConnectionUpgrade``: a WebSocket).
///
/// Pipelined requests are answered in order, one at a time: parts that arrive while a
/// handler runs are queued and handled once its response is written. Reading goes on while
/// the queue is short, so a connection that waits for an async response does not toggle its
/// read interest (two `epoll_ctl` calls per request with NIO's `HTTPServerPipelineHandler`,
/// measured at 14-21 % of plaintext throughput); past `maxQueuedParts` parts or
/// `maxQueuedBytes` of body reads pause. A new request is not started while the socket is not
/// writable (a client that pipelines and never reads), so its queue fills and reading stops.
///
/// A client that half-closes (`shutdown(SHUT_WR)`) still gets the answers to what it sent;
/// the connection closes after the last of them.
final class HTTPConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// Parts of pipelined requests held while a handler runs before reading pauses.
    static let maxQueuedParts = 256
    /// Body bytes of pipelined requests held while a handler runs before reading pauses.
    static let maxQueuedBytes = 1 << 20
    /// Body bytes of a request answered early (404, 405...) read and dropped to keep the
    /// connection; past this the connection closes after the answer (Go's 256 KiB).
    static let maxDiscardedBytes = 256 << 10

    enum State {
        /// Waiting for a request head.
        case idle
        /// Reading the body of an admitted request.
        case receiving(any RequestIntake, Request, HTTPRequestHead)
        /// Reading a body its handler reads as it arrives: the handler runs.
        case streaming(any StreamedBodyIntake, HTTPRequestHead, (any Cancellable)?)
        /// Routing or a limit already answered; the rest of this request is dropped (at most
        /// `maxDiscardedBytes`, within the request timeout).
        case discarding(closeAfter: Bool, dropped: Int)
        /// The handler runs.
        case responding((any Cancellable)?)
        /// Closing: nothing more is read.
        case closing
        /// An upgrade in progress (a WebSocket handshake); `started` once its request ended.
        case upgrading(any ConnectionUpgrade, started: Bool)
    }

    let responder: any HTTPResponder
    let configuration: ServerConfiguration
    let executor: EventLoopTaskExecutor
    var state = State.idle
    private var keepAlive = true
    /// Graceful shutdown asked this connection to finish (an upgrade tells its new protocol).
    private(set) var quiescing = false
    private var deadline: NIODeadline = .distantFuture
    private var timer: Scheduled<Void>?
    /// The HTTP encoder and decoder, removed by an upgrade.
    let codec: HTTPServerCodec?
    /// Set once the HTTP decoder left for the new protocol: what arrives now are raw bytes.
    var upgraded = false
    var pendingUpgradeBytes: [NIOAny] = []
    private let dateCache: HTTPDateCache
    private var queued = QueuedParts()
    /// Shared with the request decoder: head start and upgrades it must ignore.
    let link: RequestDecoderLink
    /// The request timeout runs: a head started to arrive.
    private var requestClockStarted = false
    /// Whether a request head arrived on this connection yet.
    private var servedAny = false
    /// How long graceful shutdown lets a connection that has not sent its first request yet
    /// send it: it was accepted, its request may be on the way (closing at once would reset
    /// it, and clients retry a request only on a connection they reused).
    static let firstRequestGrace = TimeAmount.seconds(2)
    /// The head last decoded was an upgrade llhttp stops at and the responder does not perform.
    private var ignoredUpgrade = false
    /// A parser error that came after complete requests still to be answered.
    private var pendingParserError: HTTPParserError?
    /// The client half-closed: what it sent is answered, then the connection closes.
    private var inputClosed = false
    var readHeld = false
    /// The handler of a streamed body has enough buffered: reading waits for it.
    private var bodyPaused = false
    /// The handler of a streamed body refused with 413 or 408: its read threw that error, and it
    /// is cancelled when the connection closes, if it has not finished by then.
    private var refusedWork: (any Cancellable)?
    private var draining = false
    private var timerFireTime: NIODeadline = .distantFuture
    /// The peer, read once when the connection becomes active.
    private var client: ClientAddress?
    /// `https` over TLS.
    let scheme: String
    /// An HTTP/2 stream: one request, ended by the stream's end; never a half-close or a linger.
    let multiplexed: Bool
    private var activated = false
    /// Set up after graceful shutdown began (ALPN or the HTTP/2 preface came late): quiesced once active.
    private let quiescedAtStart: Bool

    init(
        responder: any HTTPResponder, configuration: ServerConfiguration, executor: EventLoopTaskExecutor,
        dateCache: HTTPDateCache, codec: HTTPServerCodec? = nil, link: RequestDecoderLink = RequestDecoderLink(),
        scheme: String = "http", multiplexed: Bool = false, quiescedAtStart: Bool = false
    ) {
        self.quiescedAtStart = quiescedAtStart
        self.scheme = scheme
        self.multiplexed = multiplexed
        self.codec = codec
        self.link = link
        self.responder = responder
        self.dateCache = dateCache
        self.configuration = configuration
        self.executor = executor
    }

    // MARK: - Lifecycle

    func channelActive(context: ChannelHandlerContext) {
        self.becameActive(context: context)
        context.fireChannelActive()
    }

    /// The peer's address and the idle timeout, once: when the connection becomes active, or
    /// when the handler joins one already active (after ALPN or the HTTP/2 preface chose it).
    private func becameActive(context: ChannelHandlerContext) {
        guard !self.activated else { return }
        self.activated = true
        if let peer = context.channel.remoteAddress, let host = peer.ipAddress {
            self.client = ClientAddress(host: host, port: peer.port ?? 0)
        }
        self.arm(context: context, deadline: .now() + self.configuration.idleTimeout)
        if self.quiescedAtStart { self.quiesce(context: context) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if case .responding(let cancellation) = self.state { cancellation?.cancel() }
        self.refusedWork?.cancel()
        self.refusedWork = nil
        if case .upgrading(let upgrade, _) = self.state {
            // Gone before the upgrade completed or was refused.
            upgrade.connectionClosed()
        }
        // An upload cut off: its temporary files go.
        if case .receiving(let intake, _, _) = self.state { intake.discard() }
        if case .streaming(let intake, _, let cancellation) = self.state {
            cancellation?.cancel()
            intake.discard()
        }
        self.state = .closing
        self.queued.removeAll()
        self.timer?.cancel()
        self.timer = nil
        self.link.connection = nil
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is QuiesceEvent {
            self.quiesce(context: context)
            return
        }
        if let event = event as? ChannelEvent, event == .inputClosed {
            self.receivedEOF(context: context)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Graceful shutdown: the request in progress is answered with `Connection: close`, an idle
    /// connection closes, a fresh one may still send its first request for ``firstRequestGrace``.
    private func quiesce(context: ChannelHandlerContext) {
        guard !self.quiescing else { return }
        self.quiescing = true
        switch self.state {
        case .idle where self.queued.isEmpty && !self.servedAny && !self.requestClockStarted:
            // A fresh connection: its first request is answered (with `Connection: close`) if it comes soon.
            self.arm(context: context, deadline: .now() + Self.firstRequestGrace)
        case .idle where self.queued.isEmpty && !self.requestClockStarted: context.close(promise: nil)
        case .closing where self.link.discardInput: context.close(promise: nil)  // lingering
        default: break
        }
    }

    /// The client ended its side: requests it sent in full are answered, then the connection closes.
    private func receivedEOF(context: ChannelHandlerContext) {
        self.inputClosed = true
        switch self.state {
        case .idle:
            if self.queued.isEmpty && self.pendingParserError == nil { self.closeNow(context: context) }
        case .responding(let cancellation):
            // Most clients that end their side are gone: the work is cancelled as for a closed
            // connection (Go cancels the request's context on EOF too), but what it answers is
            // still sent, then the connection closes. Sync work dropped before it started never answers.
            if let cancellation, !cancellation.cancel() { self.closeNow(context: context) }
        case .receiving, .streaming, .discarding, .upgrading:
            // The rest of this request is not coming.
            self.closeNow(context: context)
        case .closing:
            // Lingering after the last answer: the client is done too.
            if self.link.discardInput { context.close(promise: nil) }
        }
    }

    private func closeNow(context: ChannelHandlerContext) {
        self.state = .closing
        self.queued.removeAll()
        context.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if case .closing = self.state, error is HTTPParserError || error is ByteToMessageDecoderError {
            // Lingering after the last answer: what the client still sends is dropped.
            return
        }
        if self.pendingParserError != nil, error is ByteToMessageDecoderError {
            // Bytes after the malformed ones (the decoder drops them): the error is answered in turn.
            return
        }
        guard let parserError = error as? HTTPParserError else {
            context.close(promise: nil)
            return
        }
        if !self.queued.isEmpty {
            // Complete requests came before the malformed bytes: they are answered first.
            self.pendingParserError = parserError
            return
        }
        switch self.state {
        case .idle, .receiving:
            // No response is in progress: answer the malformed request and close.
            self.answer(parserError, context: context)
        case .streaming(let intake, _, let cancellation):
            // A malformed body under a running handler: its answer gives way to the 400.
            cancellation?.cancel()
            intake.discard()
            self.answer(parserError, context: context)
        case .responding:
            // The current request is answered first.
            self.pendingParserError = parserError
        case .discarding, .closing, .upgrading:
            // This request already has (or is getting) its response: just close.
            self.closeNow(context: context)
        }
    }

    /// 400 (431 for a head over the limit), then close.
    private func answer(_ parserError: HTTPParserError, context: ChannelHandlerContext) {
        let error = parserError == .headerOverflow
            ? HTTPError(.requestHeaderFieldsTooLarge, detail: "Request Header Fields Too Large")
            : HTTPError(.badRequest, detail: "Bad Request")
        self.refuse(self.responder.answer(error, head: nil), context: context)
    }

    /// Answers with what the app's error handlers make of a refusal, then closes. The wait for
    /// an async handler is bounded by the request timeout; past it the connection just closes.
    func refuse(_ answer: DeferredResponse, version: HTTPVersion = .http1_1, context: ChannelHandlerContext) {
        if case .ready(let response) = answer {
            self.refuse(response, version: version, context: context)
            return
        }
        self.state = .closing
        self.queued.removeAll()
        self.timer?.cancel()
        let channel = context.channel
        self.timer = context.eventLoop.scheduleTask(in: self.configuration.requestTimeout) { channel.close(promise: nil) }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        answer.deliver(on: context.eventLoop, executor: self.executor) { response in
            let (handler, context) = loopBound.value
            guard context.channel.isActive else { return }
            handler.write(response, version: version, isHead: false, close: true, context: context)
        }
    }

    /// Answers what cannot be served (a limit, a malformed or timed-out request), then closes:
    /// nothing more of this connection is read or answered.
    func refuse(_ response: Response, version: HTTPVersion = .http1_1, context: ChannelHandlerContext) {
        self.state = .closing
        self.write(response, version: version, isHead: false, close: true, context: context)
    }

    /// The first byte of a request head arrived (from the decoder): the request timeout starts.
    func requestHeadStarted() {
        guard case .idle = self.state, !self.requestClockStarted, let context = self.context else { return }
        self.requestClockStarted = true
        self.arm(context: context, deadline: .now() + self.configuration.requestTimeout)
    }

    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.link.connection = self
        if context.channel.isActive { self.becameActive(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        self.link.connection = nil
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
        case .streaming(let intake, let head, let cancellation):
            if self.bodyPaused {
                // The handler reads slowly; the client is not late.
                self.arm(context: context, deadline: .now() + self.configuration.requestTimeout)
            } else if NIODeadline.now() < self.deadline {
                self.arm(context: context, deadline: self.deadline)
            } else {
                // The body stopped coming: the handler's next read throws 408 (its answer is not
                // sent), the client gets the 408.
                intake.timedOut()
                self.refusedWork = cancellation
                let error = HTTPError(.requestTimeout, detail: "Request Timeout")
                self.refuse(self.responder.answer(error, head: head), version: head.version, context: context)
            }
        case .idle, .receiving, .discarding:
            guard NIODeadline.now() >= self.deadline else {
                self.arm(context: context, deadline: self.deadline)
                return
            }
            if case .discarding = self.state {
                // Answered early; the rest of the body did not come in time.
                self.closeNow(context: context)
            } else if case .idle = self.state, !self.requestClockStarted || !self.queued.isEmpty {
                // Idle past the keep-alive timeout (or unable to answer a client that does not read).
                self.closeNow(context: context)
            } else {
                // A head or body still incomplete at the request timeout.
                var head: HTTPRequestHead?
                if case .receiving(let intake, _, let received) = self.state {
                    intake.discard()
                    head = received
                }
                self.refuse(self.responder.answer(HTTPError(.requestTimeout, detail: "Request Timeout"), head: head), context: context)
            }
        case .responding, .upgrading:
            // Checked again once the response is written; an upgrade decides in its own time.
            break
        case .closing:
            break
        }
    }

    // MARK: - Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if self.upgraded {
            // Raw bytes from the removed HTTP decoder: the new protocol's, for after the upgrade.
            self.pendingUpgradeBytes.append(data)
            return
        }
        let part = self.unwrapInboundIn(data)
        self.noteUpgrade(part)
        switch self.state {
        case .upgrading(let upgrade, let started):
            // The upgrade request's end starts it; anything else before the upgrade is dropped.
            if case .end = part, !started {
                self.state = .upgrading(upgrade, started: true)
                // The upgrade may take its time to decide (authentication...): no request timeout now.
                self.timer?.cancel()
                self.timer = nil
                upgrade.start(connection: self, context: context)
            }
        case .responding:
            // A pipelined request: it waits for the current response.
            self.queued.append(part)
        case .closing:
            break
        case .idle, .receiving, .streaming, .discarding:
            if self.queued.isEmpty && self.canHandle(part, context: context) {
                self.handle(part, context: context)
            } else {
                self.queued.append(part)
                self.drain(context: context)
            }
        }
    }

    /// Tells the decoder to parse on after a request llhttp took for an upgrade that the
    /// responder does not perform, instead of keeping what follows for a new protocol.
    private func noteUpgrade(_ part: HTTPServerRequestPart) {
        switch part {
        case .head(let head):
            // llhttp went on parsing: the request before was no upgrade after all.
            self.link.restartAfterMessage = false
            self.ignoredUpgrade = Self.isUpgradeForParser(head) && !self.responder.performsUpgrade(head)
        case .end:
            if self.ignoredUpgrade {
                self.ignoredUpgrade = false
                self.link.restartAfterMessage = true
            }
        case .body:
            break
        }
    }

    /// A new request starts only while the socket takes more: a client that does not read its
    /// answers is not sent more of them (its requests queue until reading pauses).
    private func canHandle(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) -> Bool {
        if case .head = part { return context.channel.isWritable }
        return true
    }

    private var queueIsFull: Bool {
        self.queued.count >= Self.maxQueuedParts || self.queued.bodyBytes >= Self.maxQueuedBytes
    }

    func read(context: ChannelHandlerContext) {
        if self.queueIsFull || self.pendingParserError != nil || self.bodyPaused {
            // Nothing more is parsed after a malformed request: no point reading until it is
            // answered; a streamed body's handler asks for more when it wants it.
            self.readHeld = true
        } else if case .upgrading = self.state {
            // NIO's decoder keeps bytes after an upgrade request without parsing them: none are
            // read until the upgrade completes (the new protocol reads then) or is refused.
            self.readHeld = true
        } else {
            context.read()
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { self.drain(context: context) }
        context.fireChannelWritabilityChanged()
    }

    /// Handles queued parts in order until a handler runs again, the queue is empty or the
    /// socket stops taking answers; then a parser error that came after them is answered.
    private func drain(context: ChannelHandlerContext) {
        guard !self.draining else { return }
        self.draining = true
        defer { self.draining = false }
        loop: while let part = self.queued.first {
            switch self.state {
            case .idle, .receiving, .streaming, .discarding:
                guard self.canHandle(part, context: context) else { break loop }
                self.queued.removeFirst()
                self.handle(part, context: context)
            case .closing:
                self.queued.removeAll()
                break loop
            case .responding, .upgrading:
                break loop
            }
        }
        guard self.queued.isEmpty, case .idle = self.state else {
            self.resumeReadingIfHeld(context: context)
            return
        }
        if let parserError = self.pendingParserError {
            self.pendingParserError = nil
            self.answer(parserError, context: context)
        } else if self.inputClosed {
            self.closeNow(context: context)
        } else {
            self.resumeReadingIfHeld(context: context)
        }
    }

    private func resumeReadingIfHeld(context: ChannelHandlerContext) {
        if self.readHeld && !self.queueIsFull && !self.bodyPaused {
            if case .upgrading = self.state { return }
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

    private func receiveHead(_ headAsSent: HTTPRequestHead, context: ChannelHandlerContext) {
        guard case .idle = self.state else { return }
        self.link.awaitingHead = false
        self.servedAny = true
        if !self.requestClockStarted {
            // The head came with an earlier request's bytes: its clock starts now.
            self.arm(context: context, deadline: .now() + self.configuration.requestTimeout)
        }
        self.requestClockStarted = false
        let head: HTTPRequestHead
        switch RequestHeadChecks.check(headAsSent) {
        case .refuse(let error):
            self.refuse(self.responder.answer(error, head: headAsSent), version: headAsSent.version, context: context)
            return
        case .proceed(let checked, let closeAfter):
            head = checked
            self.keepAlive = head.isKeepAlive && !closeAfter && !self.inputClosed
        }
        var request = Request(method: head.method, uri: head.uri, headers: head.headers)
        request.client = self.client
        request.scheme = self.scheme
        if Self.isUpgradeForParser(head), self.responder.performsUpgrade(head) {
            switch self.responder.upgrade(request, head: head, connection: self, context: context) {
            case .refuse(let response): self.refuse(response, version: head.version, context: context)
            case .upgrade(let upgrade): self.state = .upgrading(upgrade, started: false)
            }
            return
        }
        switch self.responder.admit(request) {
        case .answer(let response):
            // The body is dropped as it comes (if it is short enough to be worth keeping the connection).
            let closeAfter = !self.keepAlive || Self.declaredBodyLength(head) > Self.maxDiscardedBytes
            self.state = .discarding(closeAfter: closeAfter, dropped: 0)
            self.write(response, version: head.version, isHead: head.method == .HEAD, close: closeAfter, context: context)
        case .refuse(let response):
            self.refuse(response, version: head.version, context: context)
        case .receive(let intake, let request):
            if let streamed = intake as? any StreamedBodyIntake {
                self.startStreaming(streamed, request: request, head: head, context: context)
            } else {
                self.state = .receiving(intake, request, head)
            }
            if head.headers.first(name: "expect")?.lowercased() == "100-continue" {
                // The body is wanted and within the limit: tell the client to send it.
                context.writeAndFlush(
                    self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))), promise: nil)
            }
        }
    }

    /// Starts the handler of a streamed body at once; the body's chunks follow as they come.
    private func startStreaming(
        _ intake: any StreamedBodyIntake, request: Request, head: HTTPRequestHead, context: ChannelHandlerContext
    ) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        intake.connect {
            eventLoop.execute {
                let (handler, context) = loopBound.value
                handler.bodyPaused = false
                handler.resumeReadingIfHeld(context: context)
            }
        }
        self.state = .streaming(intake, head, nil)
        let isHead = head.method == .HEAD
        let version = head.version
        let cancellation = intake.respond(to: request, eventLoop: eventLoop, executor: self.executor) { response in
            let (handler, context) = loopBound.value
            switch handler.state {
            case .streaming(let intake, _, _):
                // Answered before the body ended: the rest is not read, the connection closes after the answer.
                intake.discard()
                handler.bodyPaused = false
                handler.state = .responding(nil)
                handler.write(response, version: version, isHead: isHead, close: true, context: context)
            case .responding:
                handler.write(response, version: version, isHead: isHead, close: !handler.keepAlive, context: context)
            default:
                break
            }
        }
        if case .streaming(let intake, let head, _) = self.state { self.state = .streaming(intake, head, cancellation) }
    }

    /// The `Content-Length` of a head, 0 when there is none.
    private static func declaredBodyLength(_ head: HTTPRequestHead) -> Int {
        head.headers.first(name: "content-length").flatMap(Int.init) ?? 0
    }

    private func receiveBody(_ chunk: ByteBuffer, context: ChannelHandlerContext) {
        if case .streaming(let intake, let head, let cancellation) = self.state {
            // The slow-request timeout applies between the pieces of a streamed body.
            self.arm(context: context, deadline: .now() + self.configuration.requestTimeout)
            switch intake.receiveStreamed(chunk) {
            case .more:
                break
            case .pause:
                self.bodyPaused = true
            case .refuse(let refusal):
                // The handler's next read throws the 413 (its answer is not sent).
                self.refusedWork = cancellation
                self.bodyPaused = false
                self.refuse(refusal, version: head.version, context: context)
            }
            return
        }
        if case .discarding(let closeAfter, let dropped) = self.state {
            let dropped = dropped + chunk.readableBytes
            if dropped > Self.maxDiscardedBytes {
                // Not worth reading on: the answer was sent, the connection ends.
                self.closeNow(context: context)
            } else {
                self.state = .discarding(closeAfter: closeAfter, dropped: dropped)
            }
            return
        }
        guard case .receiving(let intake, var request, let head) = self.state else { return }
        if intake.streamsUpload {
            // An upload may take long: the slow-request timeout applies between its pieces.
            self.arm(context: context, deadline: .now() + self.configuration.requestTimeout)
        }
        self.state = .closing  // no copy of the body while it grows
        if let refusal = intake.receive(chunk, into: &request) {
            // 413 past the limit, 400 for a malformed form, then close: the rest is never read.
            intake.discard()
            self.refuse(refusal, version: head.version, context: context)
            return
        }
        self.state = .receiving(intake, request, head)
    }

    private func receiveEnd(context: ChannelHandlerContext) {
        switch self.state {
        case .streaming(let intake, _, let cancellation):
            // The whole body came: the handler reads its end and answers.
            intake.finishStreamed()
            self.bodyPaused = false
            self.state = .responding(cancellation)
        case .receiving(let intake, let request, let head):
            if let refusal = intake.finish(request) {
                self.refuse(refusal, version: head.version, context: context)
                return
            }
            self.state = .responding(nil)
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            let isHead = head.method == .HEAD
            let version = head.version
            let cancellation = intake.respond(to: request, eventLoop: context.eventLoop, executor: self.executor) { response in
                let (handler, context) = loopBound.value
                guard case .responding = handler.state else { return }
                handler.write(response, version: version, isHead: isHead, close: !handler.keepAlive, context: context)
            }
            // A response written before `respond` returned left `.responding`; a pipelined
            // request it let in starts from `drain`'s loop after this returns, not inside it.
            if case .responding = self.state { self.state = .responding(cancellation) }
        case .discarding(let closeAfter, _):
            if closeAfter {
                self.closeNow(context: context)
                return
            }
            self.state = .idle
            self.requestFinished(context: context)
            self.drain(context: context)
        default:
            break
        }
    }

    /// After a request's response and its end were both seen.
    private func requestFinished(context: ChannelHandlerContext) {
        guard case .idle = self.state else { return }
        if self.quiescing || !self.keepAlive || (self.inputClosed && self.queued.isEmpty && self.pendingParserError == nil) {
            self.closeNow(context: context)
            return
        }
        self.link.awaitingHead = true
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
            self.queued.removeAll()
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.writeAndFlush(self.wrapOutboundOut(.end(nil))).whenComplete { _ in
                let (handler, context) = loopBound.value
                handler.lingerThenClose(context: context)
            }
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

    /// How long a closing connection reads (and drops) what the client still sends after the
    /// last answer, so that closing with unread bytes does not reset the connection before the
    /// client read the answer (Go's `closeWriteAndWait`, nginx's `lingering_close`).
    static let lingerTimeout = TimeAmount.seconds(2)

    /// Ends our side (the client sees the answer, then the end), then closes when the client
    /// closes too or after ``lingerTimeout``.
    private func lingerThenClose(context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        if self.inputClosed || self.quiescing || self.multiplexed {
            context.close(promise: nil)
            return
        }
        self.timer?.cancel()
        self.timer = nil
        context.close(mode: .output, promise: nil)
        self.link.discardInput = true
        let channel = context.channel
        self.timer = context.eventLoop.scheduleTask(in: Self.lingerTimeout) { channel.close(promise: nil) }
        self.resumeReadingIfHeld(context: context)
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
        if case .responding = self.state { self.state = .responding(TaskCancellation(task: task)) }
    }
}
