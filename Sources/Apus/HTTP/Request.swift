public import NIOCore
public import NIOHTTP1

/// An HTTP request as a handler sees it. Put `.request` in a route's parameter list to
/// receive it, as FastAPI's `request: Request`.
///
/// ```swift
/// app.get("/echo", .request) { request in
///     PlainText("\(request.method) \(request.path)")
/// }
/// ```
public struct Request: Sendable {
    /// The request method.
    public var method: HTTPMethod
    /// The request target exactly as sent (`/items/42?q=a%20b`).
    public var uri: String
    /// The percent-decoded path, as routing matches it (`/items/42`).
    public var path: String
    /// The raw query string after `?`, without decoding, or `nil` when there is none.
    public var query: String?
    /// The request headers.
    public var headers: HTTPHeaders
    /// The whole body, or `nil` when the request had none.
    public var body: ByteBuffer?
    /// The values captured by the route's `{name}` segments, in template order.
    public package(set) var pathParameters: [(name: String, value: String)]
    /// Storage that middleware, dependencies and the handler share for this request (shared by every copy).
    public let state = RequestState()
    /// The client's address: the connection's peer, or the client a trusted proxy names
    /// (``ServerConfiguration/trustedProxies``); `testclient:50000` in the in-process test
    /// client, as Starlette's; `nil` when unknown. FastAPI's `request.client`.
    public var client: ClientAddress? = nil
    /// `http` or `https`: how the client reached the server (TLS), or the first proxy
    /// (`X-Forwarded-Proto` or `Forwarded: proto=` from a trusted proxy).
    public var scheme: String = "http"
    /// The path prefix under which a proxy serves the app (``ServerConfiguration/rootPath``, or
    /// `X-Forwarded-Prefix` from a trusted proxy), `""` when none; ``path`` is without it.
    /// FastAPI's `request.scope["root_path"]`.
    public var rootPath: String = ""
    /// When the head arrived, when the app measures or traces.
    package var arrival: ArrivalTime? = nil

    /// Creates a request; the path and query are split from `uri`.
    public init(method: HTTPMethod, uri: String, headers: HTTPHeaders = [:], body: ByteBuffer? = nil) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
        self.pathParameters = []
        let rawPath: Substring
        if let question = uri.utf8.firstIndex(of: UInt8(ascii: "?")) {
            rawPath = uri[..<question]
            self.query = String(uri[uri.index(after: question)...])
        } else {
            rawPath = uri[...]
            self.query = nil
        }
        self.rawPath = String(rawPath)
        self.path = rawPath.utf8.contains(UInt8(ascii: "%")) ? percentDecode(rawPath, plusAsSpace: false) : String(rawPath)
    }

    /// The path as sent, still percent-encoded.
    public internal(set) var rawPath: String

    /// The host the client asked for: the `Host` header (which a trusted proxy's
    /// `X-Forwarded-Host` or `Forwarded: host=` replaces).
    public var host: String? { self.headers.first(name: "host") }

    /// The URL of the app's root as the client sees it (`https://example.com/api/`): scheme,
    /// host and root path. FastAPI's `request.base_url`.
    ///
    /// ```swift
    /// app.get("/links", .request) { request in
    ///     ["self": request.baseURL + "links"]
    /// }
    /// ```
    public var baseURL: String { "\(self.scheme)://\(self.host ?? "localhost")\(self.rootPath)/" }

    /// The value of the path parameter `name`, if the route captured one.
    public func pathParameter(_ name: String) -> String? {
        for parameter in self.pathParameters where parameter.name == name { return parameter.value }
        return nil
    }
}

