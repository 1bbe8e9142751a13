/// The client closed the connection, or it ended: thrown by ``WebSocket/receive()`` and the
/// sends once the socket is closed (Starlette's `WebSocketDisconnect`).
///
/// ```swift
/// app.webSocket("/echo") { ws in
///     try await ws.accept()
///     do {
///         for try await message in ws.messages { try await ws.send(message) }
///     } catch let disconnect as WebSocketDisconnect {
///         print("left with", disconnect.code)
///     }
/// }
/// ```
public struct WebSocketDisconnect: Error, Sendable, Equatable, CustomStringConvertible {
    /// The close code: the client's, or 1006 when the connection ended without a close frame.
    public var code: WebSocketCloseCode
    /// The close reason, empty when none was given.
    public var reason: String

    /// A disconnect with `code` and `reason`.
    public init(code: WebSocketCloseCode = .normalClosure, reason: String = "") {
        self.code = code
        self.reason = reason
    }

    public var description: String {
        self.reason.isEmpty ? "WebSocket closed with \(self.code)" : "WebSocket closed with \(self.code): \(self.reason)"
    }
}

/// Thrown by a WebSocket handler or one of its dependencies to close the socket with a code
/// (Starlette's `WebSocketException`). Before ``WebSocket/accept(subprotocol:headers:)`` it
/// rejects the handshake (HTTP 403 on the wire); after, the close frame carries `code`.
///
/// ```swift
/// app.webSocket("/feed", Query<String>("token")) { ws, token in
///     guard token == "s3cret" else { throw WebSocketException(code: .policyViolation, reason: "bad token") }
///     try await ws.accept()
/// }
/// ```
public struct WebSocketException: Error, Sendable, Equatable {
    /// The close code to send.
    public var code: WebSocketCloseCode
    /// The close reason (at most 123 bytes of UTF-8 are sent).
    public var reason: String

    /// An exception closing with `code` and `reason`.
    public init(code: WebSocketCloseCode, reason: String = "") {
        self.code = code
        self.reason = reason
    }
}

/// Misuse of a ``WebSocket`` by its handler, each case naming the rule broken.
public enum WebSocketUsageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `accept` was called twice.
    case alreadyAccepted
    /// A message was sent or received before `accept`.
    case notAccepted
    /// A text message was expected and a binary one came, or the reverse.
    case unexpectedMessage(expected: String)
    /// `accept(subprotocol:)` named a subprotocol the client did not offer.
    case subprotocolNotRequested(String)
    /// A message was sent after the handler closed the socket, or it accepted one it had refused.
    case closed

    public var description: String {
        switch self {
        case .alreadyAccepted: return "the WebSocket was already accepted"
        case .notAccepted: return "the WebSocket must be accepted before it sends or receives messages"
        case .unexpectedMessage(let expected): return "expected a \(expected) message"
        case .subprotocolNotRequested(let name): return "the client did not offer the subprotocol \"\(name)\""
        case .closed: return "the WebSocket was closed by the handler"
        }
    }
}
