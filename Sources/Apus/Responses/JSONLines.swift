public import NIOHTTP1

/// A JSON Lines response (`application/jsonl`, FastAPI's generator endpoints): each element
/// of an `AsyncSequence` is encoded as one line of JSON and sent as it comes, with
/// backpressure (a slow client slows the producer); the stream stops when the sequence ends
/// or the client leaves. Documented in OpenAPI with the element's schema as `itemSchema`, as
/// FastAPI 0.134+ documents it.
///
/// ```swift
/// struct Tick: Codable, Sendable { var count: Int }
///
/// app.get("/ticks") {
///     JSONLines(AsyncStream { continuation in
///         for count in 1...3 { continuation.yield(Tick(count: count)) }
///         continuation.finish()
///     })
/// }
/// ```
///
/// An element that fails to encode ends the stream there (the connection closes without the
/// final chunk, so the client sees an incomplete body rather than a truncated line).
public struct JSONLines<Items: AsyncSequence & Sendable>: ResponseConvertible where Items.Element: Encodable & Sendable {
    let items: Items

    /// A stream of `items`, one JSON line each.
    public init(_ items: Items) {
        self.items = items
    }

    /// The streamed lines with the route's status.
    public func response(to request: Request, status: HTTPResponseStatus) -> Response {
        let items = self.items
        var response = Response(status: status, headers: ["content-type": "application/jsonl"])
        response.bodyStream = ResponseBodyStream { writer in
            for try await item in items {
                try Task.checkCancellation()
                var line = try JSONModelEncoder.encode(item)
                line.append(UInt8(ascii: "\n"))
                try await writer.write(line.byteBuffer)
            }
        }
        return response
    }
}

extension JSONLines: DocumentedResponse {
    static var responseDocumentation: ResponseDocumentation {
        ResponseDocumentation(content: .items(mediaType: "application/jsonl", schema: { $0.schema(for: Items.Element.self) }))
    }
}
