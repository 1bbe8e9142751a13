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
    /// The file of a ``FileResponse``, sent according to the request's conditional and range headers.
    package var file: FileBody?

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
    package static var payloadTooLarge: Response { .detail("Request Entity Too Large", status: .payloadTooLarge) }

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

/// A value a handler can return that knows its own HTTP response.
///
/// Any other return value is encoded as JSON (`application/json`) with the route's status.
public protocol ResponseConvertible: Sendable {
    /// The response for this value; `status` is the route's declared status.
    func response(status: HTTPResponseStatus) throws -> Response
}

extension Response: ResponseConvertible {
    public func response(status: HTTPResponseStatus) -> Response { self }
}

/// A `text/plain; charset=utf-8` response.
///
/// ```swift
/// app.get("/plaintext") { PlainText("Hello, World!") }
/// ```
public struct PlainText: ResponseConvertible {
    /// The text.
    public var text: String
    /// Creates the response.
    public init(_ text: String) { self.text = text }

    public func response(status: HTTPResponseStatus) -> Response {
        Response(status: status, headers: ["content-type": "text/plain; charset=utf-8"], body: self.text)
    }
}

/// A `text/html; charset=utf-8` response.
public struct HTML: ResponseConvertible {
    /// The HTML document or fragment.
    public var html: String
    /// Creates the response.
    public init(_ html: String) { self.html = html }

    public func response(status: HTTPResponseStatus) -> Response {
        Response(status: status, headers: ["content-type": "text/html; charset=utf-8"], body: self.html)
    }
}

/// A redirect (307 by default, as Starlette's `RedirectResponse`) with an empty body.
public struct Redirect: ResponseConvertible {
    /// Where to go; percent-encoded as Starlette does, relative URLs allowed.
    public var location: String
    /// The redirect status (301, 302, 303, 307 or 308).
    public var status: HTTPResponseStatus

    /// Creates the redirect.
    public init(to location: String, status: HTTPResponseStatus = .temporaryRedirect) {
        self.location = location
        self.status = status
    }

    public func response(status: HTTPResponseStatus) -> Response {
        Response(status: self.status, headers: ["location": percentEncodeURL(self.location)])
    }
}

/// Percent-encodes UTF-8 `text`, keeping ASCII letters, digits and the bytes of `safe`.
func percentEncode(_ text: String, keeping safe: Set<UInt8>) -> String {
    var result = ""
    for byte in text.utf8 {
        let alphanumeric = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
        if alphanumeric || safe.contains(byte) {
            result.unicodeScalars.append(Unicode.Scalar(byte))
        } else {
            result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
        }
    }
    return result
}

/// Starlette's `RedirectResponse` encoding: everything but ``-._~`` and ``:/%#?=@[]!$&'()*+,;``.
func percentEncodeURL(_ url: String) -> String {
    percentEncode(url, keeping: Set("-._~:/%#?=@[]!$&'()*+,;".utf8))
}

extension String {
    func leftPadded(to width: Int) -> String {
        self.count >= width ? self : String(repeating: "0", count: width - self.count) + self
    }
}
