public import NIOCore

/// One whole WebSocket message, as the handler receives or sends it (fragments already joined).
public enum WebSocketMessage: Sendable, Equatable {
    /// A text message (valid UTF-8 by the time it reaches the handler).
    case text(String)
    /// A binary message.
    case binary(ByteBuffer)
}

extension WebSocketMessage {
    /// The text of a text message.
    /// - Throws: ``WebSocketUsageError/unexpectedMessage(expected:)`` for a binary message.
    package var expectedText: String {
        get throws {
            guard case .text(let text) = self else { throw WebSocketUsageError.unexpectedMessage(expected: "text") }
            return text
        }
    }

    /// The bytes of a binary message.
    /// - Throws: ``WebSocketUsageError/unexpectedMessage(expected:)`` for a text message.
    package var expectedBytes: ByteBuffer {
        get throws {
            guard case .binary(let bytes) = self else { throw WebSocketUsageError.unexpectedMessage(expected: "binary") }
            return bytes
        }
    }
}
