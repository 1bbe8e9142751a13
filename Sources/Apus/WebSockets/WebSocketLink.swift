package import NIOHTTP1

/// How a ``WebSocket`` reaches its client: a socket upgraded with NIOWebSocket, or the
/// in-process test client. The handler's task calls these from any thread.
package protocol WebSocketLink: AnyObject, Sendable {
    /// Completes the handshake (HTTP 101) with `subprotocol` and extra `headers`.
    func accept(subprotocol: String?, headers: HTTPHeaders) async throws
    /// Refuses the handshake; the connection ends.
    func reject(_ rejection: WebSocketRejection)
    /// Sends one whole message; returns once the transport can take more (backpressure).
    func send(_ message: WebSocketMessage) async throws
    /// Sends the close frame (once), then ends the connection when the client answered or after a timeout.
    func close(code: WebSocketCloseCode, reason: String)
}

/// How a handshake is refused.
package enum WebSocketRejection: Sendable {
    /// Closed before accept: HTTP 403 on the wire (as uvicorn sends), the code and reason for
    /// the in-process test client (as Starlette's `TestClient` reports them).
    /// `detail` is the wire body's `detail` (the validation errors), else the reason.
    case close(WebSocketCloseCode, reason: String, detail: JSONValue? = nil)
    /// An HTTP response instead of the upgrade (an ``HTTPError`` thrown before accept).
    case response(Response)

    /// What is sent on the wire.
    package var response: Response {
        switch self {
        case .response(let response): return response
        case .close(_, let reason, let detail):
            let detail = detail ?? .string(reason.isEmpty ? "WebSocket connection rejected" : reason)
            return .json(.object([("detail", detail)]), status: .forbidden)
        }
    }
}
