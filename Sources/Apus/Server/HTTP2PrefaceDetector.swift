import NIOCore

/// On a plain TCP connection with h2c allowed: looks at the first bytes, and hands the
/// connection to HTTP/2 when they are the HTTP/2 connection preface (RFC 9113 §3.4, prior
/// knowledge), to HTTP/1.1 otherwise; then it leaves, passing on what it read. It holds at
/// most the preface's 24 bytes.
final class HTTP2PrefaceDetector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    private let choose: (_ isHTTP2: Bool, _ channel: any Channel) throws -> Void
    private var received: ByteBuffer?
    private var decided = false

    init(choose: @escaping (_ isHTTP2: Bool, _ channel: any Channel) throws -> Void) {
        self.choose = choose
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = Self.unwrapInboundIn(data)
        if var earlier = self.received {
            earlier.writeBuffer(&bytes)
            bytes = earlier
        }
        let looked = min(bytes.readableBytes, Self.preface.count)
        let matches = bytes.readableBytesView.prefix(looked).elementsEqual(Self.preface.prefix(looked))
        if matches && looked < Self.preface.count {
            self.received = bytes
            return
        }
        self.received = nil
        self.decided = true
        do {
            try self.choose(matches, context.channel)
        } catch {
            context.fireErrorCaught(error)
            context.close(promise: nil)
            return
        }
        context.fireChannelRead(Self.wrapInboundOut(bytes))
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    /// Graceful shutdown before the first bytes said which version: they may still be on the way,
    /// as a fresh HTTP/1 connection's first request (``HTTPConnectionHandler/firstRequestGrace``).
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is QuiesceEvent {
            let channel = context.channel
            let detector = NIOLoopBound(self, eventLoop: context.eventLoop)
            let grace = context.eventLoop.scheduleTask(in: HTTPConnectionHandler.firstRequestGrace) {
                // Still undecided: nothing more is coming.
                if !detector.value.decided { channel.close(promise: nil) }
            }
            channel.closeFuture.whenComplete { _ in grace.cancel() }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.received = nil
        context.fireChannelInactive()
    }
}
