public import Apus
import NIOConcurrencyHelpers
public import NIOCore
public import NIOHTTP1

/// The client side of a WebSocket opened by ``TestClient/webSocket(_:subprotocols:headers:_:)``
/// (Starlette's `WebSocketTestSession`): send and receive messages, then close.
///
/// ```swift
/// let client = try await TestClient(app)
/// try await client.webSocket("/echo") { ws in
///     try await ws.send(text: "hello")
///     #expect(try await ws.receiveText() == "hello")
/// }
/// ```
public final class WebSocketTestSession: Sendable {
    /// The subprotocol the handler accepted, if any.
    public let subprotocol: String?
    /// The headers of the handshake's response (those the handler added; over a socket, all of them).
    public let headers: HTTPHeaders
    let transport: any TestWebSocketTransport

    init(transport: any TestWebSocketTransport, subprotocol: String?, headers: HTTPHeaders) {
        self.transport = transport
        self.subprotocol = subprotocol
        self.headers = headers
    }

    /// The next message from the handler.
    /// - Throws: ``WebSocketDisconnect`` with the handler's close code once it closed.
    public func receive() async throws -> WebSocketMessage { try await self.transport.receive() }

    /// The next message, which must be text.
    public func receiveText() async throws -> String {
        try await self.receive().expectedText
    }

    /// The next message, which must be binary.
    public func receiveBytes() async throws -> ByteBuffer {
        try await self.receive().expectedBytes
    }

    /// The next message as a JSON value.
    public func receiveJSON() async throws -> JSONValue {
        let text: String
        switch try await self.receive() {
        case .text(let value): text = value
        case .binary(let buffer): text = String(buffer: buffer)
        }
        return try JSONValue(parsing: text)
    }

    /// Sends a message to the handler.
    /// - Throws: ``WebSocketDisconnect`` once the socket is closed.
    public func send(_ message: WebSocketMessage) async throws { try await self.transport.send(message) }

    /// Sends a text message.
    public func send(text: String) async throws { try await self.send(.text(text)) }

    /// Sends a binary message.
    public func send(bytes: [UInt8]) async throws { try await self.send(.binary(ByteBuffer(bytes: bytes))) }

    /// Sends a JSON text message, written as given.
    public func send(json: String) async throws { try await self.send(.text(json)) }

    /// Closes from the client side: the handler's `receive` throws ``WebSocketDisconnect`` with `code`.
    /// Over a socket, returns once the server ended the connection.
    public func close(code: WebSocketCloseCode = .normalClosure, reason: String = "") async {
        await self.transport.close(code: code, reason: reason)
    }
}

/// The handshake was answered with an HTTP response instead of an upgrade (an ``HTTPError``
/// thrown before accept, or a failure): Starlette's `WebSocketDenialResponse`.
public struct WebSocketDenied: Error, Sendable {
    /// The response the client got.
    public let response: TestResponse
}

/// The in-process pair of a handler's ``WebSocket`` and a ``WebSocketTestSession``: whole
/// messages go from one inbox to the other, with the server's message size limit.
final class InProcessWebSocketLink: WebSocketLink {
    enum Handshake: Sendable {
        case accepted(subprotocol: String?, headers: HTTPHeaders)
        case rejected(WebSocketRejection)
    }

    let toClient = WebSocketInbox()
    let toServer = WebSocketInbox()
    let handshake: EventLoopPromise<Handshake>
    let maxMessageSize: Int

    init(handshake: EventLoopPromise<Handshake>, maxMessageSize: Int) {
        self.handshake = handshake
        self.maxMessageSize = maxMessageSize
    }

    func accept(subprotocol: String?, headers: HTTPHeaders) async throws {
        self.handshake.succeed(.accepted(subprotocol: subprotocol, headers: headers))
    }

    func reject(_ rejection: WebSocketRejection) {
        self.handshake.succeed(.rejected(rejection))
    }

    func send(_ message: WebSocketMessage) async throws {
        if let end = self.toServer.end { throw end }
        self.toClient.push(message)
    }

    /// The server closes: the client's side first, so that what the handler does next (its
    /// return closes with 1000) cannot overtake the code sent.
    func close(code: WebSocketCloseCode, reason: String) {
        let disconnect = WebSocketDisconnect(code: code, reason: reason)
        self.toClient.finish(disconnect)
        self.toServer.finish(disconnect)
    }

    /// A message from the test: over the size limit, the server closes with 1009 as over a socket.
    func fromClient(_ message: WebSocketMessage) throws {
        if let end = self.toClient.end { throw end }
        let size: Int
        switch message {
        case .text(let text): size = text.utf8.count
        case .binary(let bytes): size = bytes.readableBytes
        }
        guard size <= self.maxMessageSize else {
            self.close(code: .messageTooBig, reason: "message too big")
            return
        }
        self.toServer.push(message)
    }

    /// The client closes: the server's side first.
    func clientClosed(_ disconnect: WebSocketDisconnect) {
        self.toServer.finish(disconnect)
        self.toClient.finish(disconnect)
    }

    /// The test's end of the pair.
    var clientEnd: InProcessClientEnd { InProcessClientEnd(link: self) }
}

/// The session's side of an ``InProcessWebSocketLink``.
struct InProcessClientEnd: TestWebSocketTransport {
    let link: InProcessWebSocketLink

    func receive() async throws -> WebSocketMessage { try await self.link.toClient.next() }

    func send(_ message: WebSocketMessage) async throws { try self.link.fromClient(message) }

    func close(code: WebSocketCloseCode, reason: String) async {
        self.link.clientClosed(WebSocketDisconnect(code: code, reason: reason))
    }
}
