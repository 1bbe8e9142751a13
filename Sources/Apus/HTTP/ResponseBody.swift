public import NIOCore

/// A response body produced piece by piece while it is sent (chunked transfer encoding).
///
/// Each ``ResponseBodyWriter/write(_:)-(ByteBuffer)`` returns once the piece was handed to the
/// socket, so a slow client slows the producer instead of making the server buffer the
/// stream; when the client goes away the producing task is cancelled and writes throw.
public struct ResponseBodyStream: Sendable {
    package let produce: @Sendable (ResponseBodyWriter) async throws -> Void

    /// A body that `produce` writes.
    public init(_ produce: @escaping @Sendable (ResponseBodyWriter) async throws -> Void) {
        self.produce = produce
    }
}

/// Writes the pieces of a streamed body.
public struct ResponseBodyWriter: Sendable {
    let writeBuffer: @Sendable (ByteBuffer) async throws -> Void

    /// Creates a writer that hands each piece to `write`.
    public init(_ write: @escaping @Sendable (ByteBuffer) async throws -> Void) {
        self.writeBuffer = write
    }

    /// Sends `buffer`; returns when it reached the socket (or throws when the client is gone).
    public func write(_ buffer: ByteBuffer) async throws {
        guard buffer.readableBytes > 0 else { return }
        try await self.writeBuffer(buffer)
    }

    /// Sends `text`, UTF-8 encoded.
    public func write(_ text: String) async throws {
        try await self.write(ByteBuffer(string: text))
    }
}
