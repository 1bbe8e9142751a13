import NIOCore
import NIOHTTP1

extension HTTPConnectionHandler {
    /// Whether llhttp takes a request for an upgrade, after which NIO's decoder stops parsing:
    /// `Upgrade` together with `Connection: upgrade` (a `CONNECT` is refused and closed anyway).
    static func isUpgradeForParser(_ head: HTTPRequestHead) -> Bool {
        // The cheap test first: this runs for every request head.
        guard head.headers.contains(name: "upgrade") else { return false }
        return head.headers[canonicalForm: "connection"].contains { $0.lowercased() == "upgrade" }
    }

    /// The upgrade's first step: no more HTTP parsing (bytes the decoder still holds are kept
    /// for the new protocol), the `101 Switching Protocols` head written, the HTTP encoder
    /// removed. Call on the event loop, during an upgrade.
    func switchProtocols(to responseHead: HTTPResponseHead, context: ChannelHandlerContext) {
        self.upgraded = true
        if let codec = self.codec { context.pipeline.syncOperations.removeHandler(codec.decoder, promise: nil) }
        context.writeAndFlush(self.wrapOutboundOut(.head(responseHead)), promise: nil)
        if let codec = self.codec { context.pipeline.syncOperations.removeHandler(codec.encoder, promise: nil) }
    }

    /// The upgrade's last step, once the new protocol's handlers are in the pipeline: this
    /// handler leaves, handing them the bytes that came early.
    func completeUpgrade(context: ChannelHandlerContext) {
        self.state = .closing
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    /// Refuses an upgrade not completed yet: the HTTP response, then the connection closes.
    func refuseUpgrade(_ response: Response, version: HTTPVersion, context: ChannelHandlerContext) {
        guard case .upgrading = self.state, context.channel.isActive else { return }
        self.state = .responding(nil)
        self.write(response, version: version, isHead: false, close: true, context: context)
    }

    /// Whether an upgrade is in progress on this connection (the new protocol has not taken over).
    var isUpgrading: Bool {
        if case .upgrading = self.state { return true }
        return false
    }

    /// Hands the bytes that arrived during the upgrade to the new protocol's handlers, then leaves.
    func removeHandler(context: ChannelHandlerContext, removalToken: ChannelHandlerContext.RemovalToken) {
        let pending = self.pendingUpgradeBytes
        self.pendingUpgradeBytes = []
        for bytes in pending { context.fireChannelRead(bytes) }
        if !pending.isEmpty { context.fireChannelReadComplete() }
        let channel = context.channel
        let readHeld = self.readHeld
        context.leavePipeline(removalToken: removalToken)
        // Reads paused during the upgrade resume for the new protocol.
        if readHeld { channel.read() }
    }
}
