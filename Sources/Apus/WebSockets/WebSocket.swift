import NIOConcurrencyHelpers
public import NIOCore
public import NIOHTTP1

/// One WebSocket connection, as its handler sees it (Starlette's `WebSocket`).
///
/// The handler decides: ``accept(subprotocol:headers:)`` completes the handshake,
/// ``close(code:reason:)`` or a thrown ``WebSocketException`` before it refuses the client
/// (HTTP 403). Then messages flow both ways until either side closes:
///
/// ```swift
/// app.webSocket("/echo") { ws in
///     try await ws.accept()
///     for try await message in ws.messages {
///         try await ws.send(message)
///     }
/// }
/// ```
///
/// A handler that returns closes with 1000; one that throws closes with 1011 (the error is
/// logged). When the client leaves, ``receive()`` throws ``WebSocketDisconnect`` with its
/// close code; when it vanishes (no close frame, no answer to pings), the handler's task is
/// cancelled as well.
public final class WebSocket: Sendable {
    /// The upgrade request: path, query, headers, cookies.
    public let request: Request
    let link: any WebSocketLink
    let inbox: WebSocketInbox
    private let phase = NIOLockedValueBox(Phase.connecting)

    enum Phase {
        case connecting
        case accepted
        /// The handler closed the socket (after accept) or refused it (before).
        case closed(afterAccept: Bool)
    }

    /// Headers the middleware added to the upgrade's 101 response (a request id...).
    let upgradeHeaders: HTTPHeaders

    /// Where the socket is counted, when metrics are on.
    let observer: WebSocketObserver?

    package init(
        request: Request, link: any WebSocketLink, inbox: WebSocketInbox, upgradeHeaders: HTTPHeaders = [:],
        observer: WebSocketObserver? = nil
    ) {
        self.observer = observer
        self.request = request
        self.link = link
        self.inbox = inbox
        self.upgradeHeaders = upgradeHeaders
    }

    /// The subprotocols the client offered (`Sec-WebSocket-Protocol`), in its order of preference.
    public var requestedSubprotocols: [String] {
        self.request.headers[canonicalForm: "sec-websocket-protocol"].map(String.init)
    }

    /// Whether the handshake was completed.
    public var isAccepted: Bool {
        switch self.phase.withLockedValue({ $0 }) {
        case .accepted, .closed(afterAccept: true): return true
        case .connecting, .closed(afterAccept: false): return false
        }
    }

    /// Completes the handshake: HTTP 101, with `subprotocol` (one the client offered) and extra `headers`.
    /// - Throws: ``WebSocketUsageError`` when already accepted or refused, or when the subprotocol
    ///   was not offered; ``WebSocketDisconnect`` when the client left first.
    public func accept(subprotocol: String? = nil, headers: HTTPHeaders = [:]) async throws {
        if let subprotocol, !self.requestedSubprotocols.contains(subprotocol) {
            throw WebSocketUsageError.subprotocolNotRequested(subprotocol)
        }
        try self.phase.withLockedValue { phase in
            switch phase {
            case .connecting: phase = .accepted
            case .accepted, .closed(afterAccept: true): throw WebSocketUsageError.alreadyAccepted
            case .closed(afterAccept: false): throw WebSocketUsageError.closed
            }
        }
        var headers = headers
        for (name, value) in self.upgradeHeaders where !headers.contains(name: name) { headers.add(name: name, value: value) }
        try await self.link.accept(subprotocol: subprotocol, headers: headers)
        self.observer?.opened()
    }

    // MARK: - Receiving

    /// The next message.
    /// - Throws: ``WebSocketDisconnect`` once the client closed (with its code) or vanished (1006).
    public func receive() async throws -> WebSocketMessage {
        guard self.isAccepted else { throw WebSocketUsageError.notAccepted }
        let message = try await self.inbox.next()
        self.observer?.received()
        return message
    }

    /// The next message, which must be text (Starlette's `receive_text`).
    public func receiveText() async throws -> String {
        try await self.receive().expectedText
    }

    /// The next message, which must be binary (Starlette's `receive_bytes`).
    public func receiveBytes() async throws -> ByteBuffer {
        try await self.receive().expectedBytes
    }

    /// The next message decoded as JSON into `type` (text or binary, UTF-8 JSON).
    /// - Throws: ``RequestValidationError`` with pydantic's errors when the JSON does not fit `type`.
    public func receiveJSON<T: Decodable>(_ type: T.Type = T.self) async throws -> T {
        let bytes: [UInt8]
        switch try await self.receive() {
        case .text(let text): bytes = Array(text.utf8)
        case .binary(let buffer): bytes = Array(buffer.readableBytesView)
        }
        let value = try JSONParser.parse(bytes)
        return try JSONModelDecoder.decode(T.self, from: value, at: []).get()
    }

    /// The messages until the client closes: the loop ends on any disconnect (its code is in
    /// ``disconnect``), as Starlette's `iter_text` does.
    public var messages: Messages { Messages(socket: self) }

    /// How the client ended the connection, once it has.
    public var disconnect: WebSocketDisconnect? { self.inbox.end }

    /// The incoming messages as an `AsyncSequence`.
    public struct Messages: AsyncSequence, Sendable {
        public typealias Element = WebSocketMessage
        let socket: WebSocket

        public func makeAsyncIterator() -> Iterator { Iterator(socket: self.socket) }

        /// Takes the next message; `nil` once the client closed.
        public struct Iterator: AsyncIteratorProtocol {
            let socket: WebSocket

            public mutating func next() async throws -> WebSocketMessage? {
                do {
                    return try await self.socket.receive()
                } catch is WebSocketDisconnect {
                    return nil
                }
            }
        }
    }

    // MARK: - Sending

    /// Sends a message; waits while the client reads slower than the handler sends.
    /// - Throws: ``WebSocketDisconnect`` once the client closed; ``WebSocketUsageError`` before accept or after ``close(code:reason:)``.
    public func send(_ message: WebSocketMessage) async throws {
        switch self.phase.withLockedValue({ $0 }) {
        case .connecting: throw WebSocketUsageError.notAccepted
        case .closed: throw WebSocketUsageError.closed
        case .accepted: break
        }
        if let end = self.inbox.end { throw end }
        try await self.link.send(message)
        self.observer?.sent()
    }

    /// Sends a text message.
    public func send(text: String) async throws { try await self.send(.text(text)) }

    /// Sends a binary message.
    public func send(bytes: ByteBuffer) async throws { try await self.send(.binary(bytes)) }

    /// Sends a binary message.
    public func send(bytes: [UInt8]) async throws { try await self.send(.binary(ByteBuffer(bytes: bytes))) }

    /// Sends `value` encoded as JSON in a text message (Starlette's `send_json`).
    public func sendJSON<T: Encodable>(_ value: T) async throws {
        let bytes = try JSONModelEncoder.encode(value)
        try await self.send(.text(String(decoding: bytes, as: UTF8.self)))
    }

    // MARK: - Closing

    /// Closes the socket with `code` and `reason`; before accept, refuses the handshake
    /// (HTTP 403). Later calls do nothing.
    public func close(code: WebSocketCloseCode = .normalClosure, reason: String = "") {
        let previous = self.phase.withLockedValue { phase -> Phase in
            let previous = phase
            switch phase {
            case .connecting: phase = .closed(afterAccept: false)
            case .accepted: phase = .closed(afterAccept: true)
            case .closed: break
            }
            return previous
        }
        switch previous {
        case .connecting: self.link.reject(.close(code, reason: reason))
        case .accepted:
            self.link.close(code: code, reason: reason)
            self.observer?.closed(code: (self.inbox.end?.code ?? code).rawValue)
        case .closed: break
        }
    }

    /// The handler is done: a socket still counted open (the client vanished) is counted closed.
    func handlerEnded() {
        self.observer?.closed(code: self.inbox.end?.code.rawValue)
    }

    /// Refuses the handshake with an HTTP response (an ``HTTPError`` thrown before accept).
    func reject(_ rejection: WebSocketRejection) -> Bool {
        let refused = self.phase.withLockedValue { phase -> Bool in
            guard case .connecting = phase else { return false }
            phase = .closed(afterAccept: false)
            return true
        }
        guard refused else { return false }
        self.link.reject(rejection)
        return true
    }
}
