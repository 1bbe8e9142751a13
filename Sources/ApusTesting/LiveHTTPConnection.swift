import Apus
import NIOCore
import NIOHTTP1
import NIOPosix

/// One request over a fresh TCP connection, with NIO's HTTP/1.1 client codec; the connection
/// is closed (and the request fails) when no whole response arrived within `timeout`.
enum LiveHTTPConnection {
    static func send(
        _ method: HTTPMethod, _ uri: String, headers: HTTPHeaders, body: ByteBuffer?, port: Int,
        group: any EventLoopGroup, timeout: TimeAmount = .seconds(30)
    ) async throws -> TestResponse {
        let channel = try await ClientBootstrap(group: group)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        // A server that never answers fails the request instead of hanging the test.
        let watchdog = channel.channel.eventLoop.scheduleTask(in: timeout) { [channel = channel.channel] in
            channel.close(promise: nil)
        }
        defer { watchdog.cancel() }
        return try await channel.executeThenClose { inbound, outbound in
            var headers = headers
            if !headers.contains(name: "host") { headers.add(name: "host", value: "127.0.0.1:\(port)") }
            if let body, !headers.contains(name: "content-length") {
                headers.add(name: "content-length", value: String(body.readableBytes))
            }
            try await outbound.write(.head(HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: headers)))
            if let body { try await outbound.write(.body(.byteBuffer(body))) }
            try await outbound.write(.end(nil))
            var head: HTTPResponseHead?
            var collected = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let responseHead): head = responseHead
                case .body(var chunk): collected.writeBuffer(&chunk)
                case .end:
                    guard let head else { throw TestClientError.connectionClosed }
                    return TestResponse(status: head.status, headers: head.headers, body: collected)
                }
            }
            throw TestClientError.connectionClosed
        }
    }
}
