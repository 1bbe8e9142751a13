@_exported public import Apus
public import NIOCore
public import NIOHTTP1

/// A response received by ``TestClient``, with helpers to read its body.
public struct TestResponse: Sendable {
    /// The status.
    public var status: HTTPResponseStatus
    /// The headers as sent (including `content-length`).
    public var headers: HTTPHeaders
    /// The body bytes.
    public var body: ByteBuffer

    /// Creates a response (used by the client).
    public init(status: HTTPResponseStatus, headers: HTTPHeaders, body: ByteBuffer) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body as UTF-8 text.
    public var text: String { String(buffer: self.body) }

    /// The body parsed as JSON, or `nil` when it is not JSON.
    public var json: JSONValue? {
        var bytes = self.body
        guard let array = bytes.readBytes(length: bytes.readableBytes) else { return nil }
        return try? JSONValue(parsing: array)
    }

    /// The first value of header `name`.
    public func header(_ name: String) -> String? { self.headers.first(name: name) }
}
