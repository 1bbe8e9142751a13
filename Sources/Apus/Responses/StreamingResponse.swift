public import NIOCore
public import NIOHTTP1

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
