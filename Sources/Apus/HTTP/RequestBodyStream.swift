public import NIOCore
import NIOConcurrencyHelpers

/// A request body read as it arrives, chunk by chunk, for bodies too large to hold (an upload
/// of gigabytes, a log shipped in one request): FastAPI's `request.stream()`. Declare
/// ``RequestParameter/bodyStream`` in the route's parameters; the handler starts once the head
/// arrived and reads the body with `for try await`. The connection reads only as fast as the
/// handler does (a few chunks are buffered), and the route's `bodyLimit` still applies: past
/// it the client gets a 413 and the handler's read throws.
///
/// ```swift
/// app.put("/uploads/{name}", bodyLimit: 4 << 30, Path<String>("name"), .bodyStream) { name, body async throws in
///     var size = 0
///     for try await chunk in body { size += chunk.readableBytes }
///     return ["name": name, "size": "\(size)"]
/// }
/// ```
///
/// A stream can be read once. A read throws an ``HTTPError`` when the body does not come:
/// 408 when the client stops sending for the request timeout, 400 when the connection ends first.
public struct RequestBodyStream: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer
    package typealias Chunks = NIOThrowingAsyncSequenceProducer<
        ByteBuffer, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, RequestBodyFlow
    >

    private let chunks: Chunks?

    /// The stream of `chunks`; `nil` for a stream of none.
    package init(_ chunks: Chunks?) { self.chunks = chunks }

    /// A stream of no chunks (a request without a body).
    package static var empty: RequestBodyStream { RequestBodyStream(nil) }

    /// Reads the chunks in order.
    public struct AsyncIterator: AsyncIteratorProtocol {
        fileprivate var base: Chunks.AsyncIterator?

        /// The next chunk, `nil` at the end of the body.
        public mutating func next() async throws -> ByteBuffer? {
            try await self.base?.next()
        }
    }

    /// The iterator; call it once.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: self.chunks?.makeAsyncIterator())
    }

    /// The whole body in one buffer, when it is at most `maxBytes` long (413 past it).
    ///
    /// ```swift
    /// app.post("/notes", .bodyStream) { body async throws in
    ///     let bytes = try await body.collect(upTo: 1 << 20)
    ///     return ["size": bytes.readableBytes]
    /// }
    /// ```
    public func collect(upTo maxBytes: Int) async throws -> ByteBuffer {
        var whole = ByteBuffer()
        for try await var chunk in self {
            guard whole.readableBytes + chunk.readableBytes <= maxBytes else { throw HTTPError.payloadTooLarge }
            whole.writeBuffer(&chunk)
        }
        return whole
    }
}

/// Tells the connection when the reader of a ``RequestBodyStream`` wants more (its buffer fell
/// below the low watermark) or left: the connection then reads again.
package final class RequestBodyFlow: NIOAsyncSequenceProducerDelegate {
    private let resume = NIOLockedValueBox<(@Sendable () -> Void)?>(nil)

    package init() {}

    /// What to call when the reader wants more; set by the connection before the first chunk.
    package func onResume(_ resume: @escaping @Sendable () -> Void) {
        self.resume.withLockedValue { $0 = resume }
    }

    package func produceMore() {
        self.resume.withLockedValue { $0 }?()
    }

    package func didTerminate() {
        // The reader is gone: what still comes is dropped, and reading must not stay paused.
        self.resume.withLockedValue { $0 }?()
    }
}
