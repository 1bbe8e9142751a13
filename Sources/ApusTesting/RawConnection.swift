public import NIOCore
import NIOConcurrencyHelpers
import NIOPosix

/// A raw TCP connection to a live ``TestClient``'s server, for tests that must control
/// the bytes on the wire: malformed requests, pipelining, slow clients, timeouts.
///
/// ```swift
/// let client = try await TestClient(app)
/// let connection = try await client.rawConnection()
/// try await connection.send("GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n")
/// let text = try await connection.readResponses(1, timeout: .seconds(2))
/// ```
public final class RawConnection: Sendable {
    let channel: any Channel
    let received: Collector

    /// Collects everything the server sends and notes when it closes.
    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let state = NIOLockedValueBox<(bytes: ByteBuffer, closed: Bool)>((ByteBuffer(), false))

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var chunk = self.unwrapInboundIn(data)
            _ = self.state.withLockedValue { $0.bytes.writeBuffer(&chunk) }
        }

        func channelInactive(context: ChannelHandlerContext) {
            self.state.withLockedValue { $0.closed = true }
        }
    }

    init(port: Int, group: any EventLoopGroup) async throws {
        let collector = Collector()
        self.received = collector
        self.channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) }
            }
            .connect(host: "127.0.0.1", port: port).get()
    }

    /// Sends text as bytes.
    public func send(_ text: String) async throws { try await self.send(ByteBuffer(string: text)) }

    /// Sends bytes.
    public func send(_ bytes: ByteBuffer) async throws { try await self.channel.writeAndFlush(bytes) }

    /// Waits until the server closes the connection or `timeout` passes; returns what arrived
    /// and whether the server closed the connection.
    public func readUntilClosed(timeout: TimeAmount) async throws -> (text: String, closed: Bool) {
        let (bytes, closed) = try await self.wait(timeout: timeout) { $0.closed }
        return (String(buffer: bytes), closed)
    }

    /// Waits until `count` whole responses arrived (heads plus Content-Length bodies), the
    /// connection closed, or `timeout` passed; returns the text received.
    public func readResponses(_ count: Int, timeout: TimeAmount) async throws -> String {
        let (bytes, _) = try await self.wait(timeout: timeout) {
            $0.closed || Self.completeResponses(in: String(buffer: $0.bytes)) >= count
        }
        return String(buffer: bytes)
    }

    /// Whether the server closed the connection within `timeout`.
    public func isClosed(within timeout: TimeAmount) async throws -> Bool {
        try await self.readUntilClosed(timeout: timeout).closed
    }

    /// Closes the connection from the client side.
    public func close() async { try? await self.channel.close() }

    /// Ends the client's side only (`shutdown(SHUT_WR)`): the server sees the end of its input
    /// and can still answer.
    public func shutdownWrite() async throws { try await self.channel.close(mode: .output) }

    private func wait(
        timeout: TimeAmount, until done: @Sendable ((bytes: ByteBuffer, closed: Bool)) -> Bool
    ) async throws -> (ByteBuffer, Bool) {
        let deadline = NIODeadline.now() + timeout
        while true {
            let snapshot = self.received.state.withLockedValue { $0 }
            if done(snapshot) || NIODeadline.now() >= deadline { return (snapshot.bytes, snapshot.closed) }
            try await Task.sleep(nanoseconds: 5_000_000)
        }
    }

    /// How many whole responses `text` holds (heads ended by a blank line, bodies by Content-Length).
    static func completeResponses(in text: String) -> Int {
        let bytes = Array(text.utf8)
        var count = 0
        var start = 0
        while let headEnd = Self.find([13, 10, 13, 10], in: bytes, from: start) {
            let head = String(decoding: bytes[start..<headEnd], as: UTF8.self).lowercased()
            var length = 0
            for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
                length = Int(line.dropFirst("content-length:".count).filter { $0 != " " }) ?? 0
            }
            let next = headEnd + 4 + length
            guard next <= bytes.count else { break }
            count += 1
            start = next
        }
        return count
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
        for index in start...(bytes.count - needle.count) where Array(bytes[index..<index + needle.count]) == needle {
            return index
        }
        return nil
    }
}

extension TestClient {
    /// Opens a raw TCP connection to the live server (``Mode/live`` only).
    public func rawConnection() async throws -> RawConnection {
        guard let port = self.port, let clientGroup = self.clientGroup else { throw TestClientError.notListening }
        return try await RawConnection(port: port, group: clientGroup)
    }
}
