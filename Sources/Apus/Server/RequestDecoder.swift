import NIOCore
import NIOHTTP1

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the request decoder and its connection tell each other, on the connection's loop.
final class RequestDecoderLink {
    /// The connection, told when the first byte of a request head arrives; cleared when the
    /// connection ends (the link would otherwise keep the handler and the decoder alive together).
    var connection: HTTPConnectionHandler?
    /// Set by the connection when a request ended that llhttp took for an upgrade (a `CONNECT`,
    /// or `Upgrade` with `Connection: upgrade`) that Apus does not perform: the decoder starts
    /// afresh on the bytes after it instead of holding them for a protocol that never comes.
    var restartAfterMessage = false
    /// Whether the connection waits for the first byte of a request head.
    var awaitingHead = true
    /// The connection sent its last answer and lingers: every byte is dropped unparsed.
    var discardInput = false
}

/// NIO's `HTTPRequestDecoder` with two additions that a hostile client needs:
///
/// - It tells the connection when a request head starts to arrive, so that the request
///   timeout covers a head sent slowly (nginx's `client_header_timeout`).
/// - After a request that llhttp treats as an upgrade, NIO's decoder stops parsing and keeps
///   every later byte for the new protocol, without bound. Apus performs only the WebSocket
///   upgrade (which removes this decoder); any other is ignored as RFC 9110 §7.8 allows, so
///   the decoder is replaced by a fresh one and the connection stays HTTP/1.1.
struct RequestDecoder: ByteToMessageDecoder {
    typealias InboundOut = HTTPServerRequestPart

    private var decoder: HTTPRequestDecoder
    /// Bytes the decoder left in the buffer after the last call (a head cut short).
    private var leftover = 0
    private let limits: NIOHTTPDecoderLimitConfiguration
    let link: RequestDecoderLink

    init(limits: NIOHTTPDecoderLimitConfiguration, link: RequestDecoderLink) {
        self.limits = limits
        self.link = link
        self.decoder = Self.makeDecoder(limits)
    }

    private static func makeDecoder(_ limits: NIOHTTPDecoderLimitConfiguration) -> HTTPRequestDecoder {
        // Bytes that follow a WebSocket upgrade request are handed on when this decoder leaves.
        HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes, limitConfiguration: limits)
    }

    mutating func decoderAdded(context: ChannelHandlerContext) {
        self.decoder.decoderAdded(context: context)
    }

    mutating func decoderRemoved(context: ChannelHandlerContext) {
        self.decoder.decoderRemoved(context: context)
        self.link.connection = nil
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> NIOCore.DecodingState {
        if self.link.discardInput {
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            return .needMoreData
        }
        if self.link.awaitingHead, buffer.readableBytes > 0 {
            self.link.awaitingHead = false
            self.link.connection?.requestHeadStarted()
            // The buffer starts with the new head only when the last call left nothing behind.
            if self.leftover == 0 { try Self.refuseHTTP09(buffer) }
        }
        _ = try self.decoder.decode(context: context, buffer: &buffer)
        self.leftover = buffer.readableBytes
        guard self.link.restartAfterMessage else { return .needMoreData }
        // NIO's decoder stopped after the upgrade request: a new one parses what follows.
        self.link.restartAfterMessage = false
        self.decoder.decoderRemoved(context: context)
        self.decoder = Self.makeDecoder(self.limits)
        self.decoder.decoderAdded(context: context)
        return buffer.readableBytes > 0 ? .continue : .needMoreData
    }

    /// llhttp reads `GET /` and a line end as HTTP/0.9 and then waits for one more byte before
    /// NIO refuses the version; a request line that ends without `HTTP/x.y` is refused at once.
    static func refuseHTTP09(_ buffer: ByteBuffer) throws {
        let refused = buffer.withUnsafeReadableBytes { bytes -> Bool in
            guard let base = bytes.baseAddress,
                let hit = memchr(base, Int32(UInt8(ascii: "\n")), min(bytes.count, 8192))
            else { return false }
            var end = base.distance(to: UnsafeRawPointer(hit))
            if end > 0, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            // An empty line before the request line is allowed (RFC 9112 §2.2).
            guard end > 0 else { return false }
            // `... HTTP/x.y`: a space, then `HTTP/` eight bytes before the end.
            guard end >= 10 else { return true }
            return bytes[end - 9] != UInt8(ascii: " ") || bytes[end - 8] != UInt8(ascii: "H") || bytes[end - 7] != UInt8(ascii: "T")
                || bytes[end - 6] != UInt8(ascii: "T") || bytes[end - 5] != UInt8(ascii: "P") || bytes[end - 4] != UInt8(ascii: "/")
        }
        if refused { throw HTTPParserError.invalidVersion }
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> NIOCore.DecodingState {
        try self.decoder.decodeLast(context: context, buffer: &buffer, seenEOF: seenEOF)
    }
}
