public import NIOCore

/// One whole WebSocket message, as the handler receives or sends it (fragments already joined).
public enum WebSocketMessage: Sendable, Equatable {
    /// A text message (valid UTF-8 by the time it reaches the handler).
    case text(String)
    /// A binary message.
    case binary(ByteBuffer)
}
