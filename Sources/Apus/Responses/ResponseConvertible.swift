public import NIOHTTP1

/// A value a handler can return that knows its own HTTP response.
///
/// Any other return value is encoded as JSON (`application/json`) with the route's status.
///
/// The response is made for the request it answers, so a type can follow the request's own
/// headers (``FileResponse`` answers `If-None-Match` with 304 and `Range` with 206 itself):
///
/// ```swift
/// struct Greeting: ResponseConvertible {
///     var name: String
///     func response(to request: Request, status: HTTPResponseStatus) -> Response {
///         let polite = request.headers.first(name: "accept-language")?.hasPrefix("fr") == true
///         return Response(status: status, body: polite ? "Bonjour, \(name)" : "Hello, \(name)")
///     }
/// }
/// ```
public protocol ResponseConvertible: Sendable {
    /// The response to `request` for this value; `status` is the route's declared status.
    func response(to request: Request, status: HTTPResponseStatus) throws -> Response
}

extension Response: ResponseConvertible {
    /// The response itself, as written.
    public func response(to request: Request, status: HTTPResponseStatus) -> Response { self }
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

    /// The text as `text/plain; charset=utf-8` with the route's status.
    public func response(to request: Request, status: HTTPResponseStatus) -> Response { .plainText(self.text, status: status) }
}

/// A `text/html; charset=utf-8` response.
public struct HTML: ResponseConvertible {
    /// The HTML document or fragment.
    public var html: String
    /// Creates the response.
    public init(_ html: String) { self.html = html }

    /// The document as `text/html; charset=utf-8` with the route's status.
    public func response(to request: Request, status: HTTPResponseStatus) -> Response { .html(self.html, status: status) }
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

    /// The redirect's own status and `Location`, with an empty body.
    public func response(to request: Request, status: HTTPResponseStatus) -> Response { self.response }

    /// The redirect, whatever the request.
    var response: Response { Response(status: self.status, headers: ["location": percentEncodeURL(self.location)]) }
}


extension Response {
    /// A `text/plain; charset=utf-8` response.
    static func plainText(_ text: String, status: HTTPResponseStatus) -> Response {
        Response(status: status, headers: ["content-type": "text/plain; charset=utf-8"], body: text)
    }

    /// A `text/html; charset=utf-8` response.
    static func html(_ html: String, status: HTTPResponseStatus) -> Response {
        Response(status: status, headers: ["content-type": "text/html; charset=utf-8"], body: html)
    }
}
