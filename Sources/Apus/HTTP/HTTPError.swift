public import NIOHTTP1
import NIOCore

/// An error that answers the request with an HTTP status and `{"detail": ...}`, FastAPI's
/// `HTTPException`.
///
/// ```swift
/// app.get("/items/{id}", Path<Int>("id")) { id in
///     guard let item = items[id] else { throw HTTPError(.notFound, detail: "Item not found") }
///     return item
/// }
/// ```
///
/// Without a detail, the detail is the status's reason phrase (`Not Found`). Statuses that
/// forbid a body (204, 304, 1xx) answer with no body and keep the headers.
public struct HTTPError: Error, Sendable {
    /// The response status.
    public var status: HTTPResponseStatus
    /// The `detail` value: any JSON value.
    public var detail: JSONValue
    /// Extra response headers, e.g. `WWW-Authenticate`.
    public var headers: HTTPHeaders

    /// Creates an error with a text detail (default: the status's reason phrase).
    public init(_ status: HTTPResponseStatus, detail: String? = nil, headers: HTTPHeaders = [:]) {
        self.status = status
        self.detail = .string(detail ?? reasonPhrase(status.code))
        self.headers = headers
    }

    /// Creates an error whose detail is any JSON value (an object, a list...).
    public init(_ status: HTTPResponseStatus, detail: JSONValue, headers: HTTPHeaders = [:]) {
        self.status = status
        self.detail = detail
        self.headers = headers
    }

    /// The response FastAPI gives for this error.
    public var response: Response {
        self.response(body: .object([("detail", self.detail)]), contentType: "application/json")
    }

    /// `body` as the error's response, with its headers; none for a status that has no body (204, 205, 304...).
    package func response(body: JSONValue, contentType: String) -> Response {
        var response = Response.json(body, status: self.status, headers: self.headers)
        if response.statusForbidsBody || self.status.code == 205 {
            response.headers.remove(name: "content-type")
            response.body.clear()
        } else {
            response.headers.replaceOrAdd(name: "content-type", value: contentType)
        }
        return response
    }

    /// A body beyond the route's limit.
    package static let payloadTooLarge = HTTPError(.payloadTooLarge, detail: "Request Entity Too Large")
}

/// The reason phrase Python's `http.client.responses` gives a status, `""` for unknown codes.
func reasonPhrase(_ code: UInt) -> String { pythonReasonPhrases[code] ?? "" }

private let pythonReasonPhrases: [UInt: String] = [
    100: "Continue",
    101: "Switching Protocols",
    102: "Processing",
    103: "Early Hints",
    200: "OK",
    201: "Created",
    202: "Accepted",
    203: "Non-Authoritative Information",
    204: "No Content",
    205: "Reset Content",
    206: "Partial Content",
    207: "Multi-Status",
    208: "Already Reported",
    226: "IM Used",
    300: "Multiple Choices",
    301: "Moved Permanently",
    302: "Found",
    303: "See Other",
    304: "Not Modified",
    305: "Use Proxy",
    307: "Temporary Redirect",
    308: "Permanent Redirect",
    400: "Bad Request",
    401: "Unauthorized",
    402: "Payment Required",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    407: "Proxy Authentication Required",
    408: "Request Timeout",
    409: "Conflict",
    410: "Gone",
    411: "Length Required",
    412: "Precondition Failed",
    413: "Request Entity Too Large",
    414: "Request-URI Too Long",
    415: "Unsupported Media Type",
    416: "Requested Range Not Satisfiable",
    417: "Expectation Failed",
    418: "I'm a Teapot",
    421: "Misdirected Request",
    422: "Unprocessable Entity",
    423: "Locked",
    424: "Failed Dependency",
    425: "Too Early",
    426: "Upgrade Required",
    428: "Precondition Required",
    429: "Too Many Requests",
    431: "Request Header Fields Too Large",
    451: "Unavailable For Legal Reasons",
    500: "Internal Server Error",
    501: "Not Implemented",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
    505: "HTTP Version Not Supported",
    506: "Variant Also Negotiates",
    507: "Insufficient Storage",
    508: "Loop Detected",
    510: "Not Extended",
    511: "Network Authentication Required",
]
