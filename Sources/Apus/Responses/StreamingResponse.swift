public import NIOCore
public import NIOHTTP1

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

/// A piece of a streamed body: bytes or text.
public protocol StreamedChunk: Sendable {
    /// The bytes of the piece.
    var byteBuffer: ByteBuffer { get }
}

extension ByteBuffer: StreamedChunk {
    public var byteBuffer: ByteBuffer { self }
}

extension String: StreamedChunk {
    public var byteBuffer: ByteBuffer { ByteBuffer(string: self) }
}

extension Array: StreamedChunk where Element == UInt8 {
    public var byteBuffer: ByteBuffer { ByteBuffer(bytes: self) }
}

/// A response whose body is an `AsyncSequence` of bytes or strings, sent as it is produced
/// (Starlette's `StreamingResponse`).
///
/// ```swift
/// app.get("/numbers") {
///     StreamingResponse(AsyncStream { continuation in
///         for number in 1...3 { continuation.yield("\(number)\n") }
///         continuation.finish()
///     }, mediaType: "text/plain")
/// }
/// ```
public struct StreamingResponse<Chunks: AsyncSequence & Sendable>: ResponseConvertible
where Chunks.Element: StreamedChunk {
    let chunks: Chunks
    let status: HTTPResponseStatus?
    let headers: HTTPHeaders

    /// A response streaming `chunks`, with `mediaType` as its content type.
    public init(_ chunks: Chunks, status: HTTPResponseStatus? = nil, mediaType: String? = nil, headers: HTTPHeaders = [:]) {
        self.chunks = chunks
        self.status = status
        var headers = headers
        if let mediaType { headers.replaceOrAdd(name: "content-type", value: mediaType) }
        self.headers = headers
    }

    /// The streamed body with the route's status and the given media type.
    public func response(to request: Request, status: HTTPResponseStatus) -> Response {
        let chunks = self.chunks
        var response = Response(status: self.status ?? status, headers: self.headers)
        response.bodyStream = ResponseBodyStream { writer in
            for try await chunk in chunks {
                try Task.checkCancellation()
                try await writer.write(chunk.byteBuffer)
            }
        }
        return response
    }
}
