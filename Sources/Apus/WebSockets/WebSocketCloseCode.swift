/// The status code of a WebSocket close frame (RFC 6455 section 7.4), with the codes
/// FastAPI's `status.WS_...` constants name.
///
/// ```swift
/// app.webSocket("/feed") { ws in
///     try await ws.accept()
///     ws.close(code: .policyViolation, reason: "token expired")
/// }
/// ```
public struct WebSocketCloseCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The number on the wire.
    public var rawValue: UInt16

    /// A close code from its number.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// 1000: the purpose of the connection is fulfilled.
    public static let normalClosure = WebSocketCloseCode(rawValue: 1000)
    /// 1001: the server is going down (graceful shutdown) or the client navigated away.
    public static let goingAway = WebSocketCloseCode(rawValue: 1001)
    /// 1002: the peer broke the protocol.
    public static let protocolError = WebSocketCloseCode(rawValue: 1002)
    /// 1003: a kind of message the endpoint cannot take (binary where text is expected).
    public static let unsupportedData = WebSocketCloseCode(rawValue: 1003)
    /// 1005: the close frame carried no code (never sent, only reported).
    public static let noStatusReceived = WebSocketCloseCode(rawValue: 1005)
    /// 1006: the connection ended without a close frame (never sent, only reported).
    public static let abnormalClosure = WebSocketCloseCode(rawValue: 1006)
    /// 1007: a text message that is not UTF-8.
    public static let invalidPayload = WebSocketCloseCode(rawValue: 1007)
    /// 1008: the endpoint refuses the client (FastAPI's `WS_1008_POLICY_VIOLATION`, also used for
    /// invalid parameters).
    public static let policyViolation = WebSocketCloseCode(rawValue: 1008)
    /// 1009: a frame or message larger than the endpoint accepts.
    public static let messageTooBig = WebSocketCloseCode(rawValue: 1009)
    /// 1011: the handler failed.
    public static let internalError = WebSocketCloseCode(rawValue: 1011)

    public var description: String { "\(self.rawValue)" }

    /// Whether a close frame may carry this code (RFC 6455 7.4.1: 1005, 1006 and 1015 are never sent).
    var isSendable: Bool {
        switch self.rawValue {
        case 1000...1003, 1007...1014, 3000...4999: return true
        default: return false
        }
    }
}
