public import NIOCore
public import NIOHTTP1

/// A complete HTTP response: return it from a handler for full control.
///
/// ```swift
/// app.get("/teapot") { Response(status: .imATeapot, headers: ["x-brew": "earl-grey"], body: "I'm a teapot") }
/// ```
///
/// `Content-Length` is always set by Apus from the body; 1xx, 204 and 304 responses never carry a body.
public struct Response: Sendable {
    /// The status code.
    public var status: HTTPResponseStatus
    /// The headers (`Content-Length` is set when the response is written).
    public var headers: HTTPHeaders
    /// The body bytes.
    public var body: ByteBuffer
    /// A body produced while it is sent (see ``StreamingResponse``); when set, ``body`` is not sent.
    public var bodyStream: ResponseBodyStream?

    /// Creates a response from bytes.
    public init(status: HTTPResponseStatus = .ok, headers: HTTPHeaders = [:], body: ByteBuffer = ByteBuffer()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Creates a response from a string, UTF-8 encoded.
    public init(status: HTTPResponseStatus = .ok, headers: HTTPHeaders = [:], body: String) {
        self.init(status: status, headers: headers, body: ByteBuffer(string: body))
    }

    /// A JSON response of `value` (`application/json`).
    public static func json(_ value: JSONValue, status: HTTPResponseStatus = .ok, headers: HTTPHeaders = [:]) -> Response {
        var headers = headers
        headers.replaceOrAdd(name: "content-type", value: "application/json")
        return Response(status: status, headers: headers, body: ByteBuffer(bytes: value.jsonBytes ?? Array("null".utf8)))
    }

    /// `{"detail": <detail>}` with `application/json`, the shape of every FastAPI error.
    package static func detail(_ detail: String, status: HTTPResponseStatus, headers: HTTPHeaders = [:]) -> Response {
        .json(.object([("detail", .string(detail))]), status: status, headers: headers)
    }

    /// The 413 for a body over the route's limit, from the server and the in-process test client alike.
    package static var payloadTooLarge: Response { HTTPError.payloadTooLarge.response }

    /// The headers as written on the wire: `Content-Length` from the body, none for a status
    /// without body or a streamed body (sent chunked).
    package var wireHeaders: HTTPHeaders {
        var headers = self.headers
        if self.statusForbidsBody {
            headers.remove(name: "content-length")
        } else if self.bodyStream != nil {
            // Streamed: chunked, unless the length is known (a file).
        } else {
            headers.replaceOrAdd(name: "content-length", value: String(self.body.readableBytes))
        }
        return headers
    }

    /// Whether this status never carries a body (1xx, 204, 304).
    package var statusForbidsBody: Bool {
        let code = self.status.code
        return code < 200 || code == 204 || code == 304
    }
}
