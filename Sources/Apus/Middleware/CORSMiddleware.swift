import Foundation
public import NIOHTTP1

/// Cross-origin resource sharing, with Starlette's `CORSMiddleware` behaviour: preflight
/// requests (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) are answered here
/// (200 `OK`, or 400 `Disallowed CORS origin, method, headers`), simple requests get the
/// `Access-Control-*` headers on their response.
///
/// ```swift
/// app.addMiddleware(CORSMiddleware(allowOrigins: ["https://app.example"], allowMethods: ["GET", "POST"], allowCredentials: true))
/// ```
public struct CORSMiddleware: Middleware {
    static let allMethods = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "QUERY"]
    static let safelistedHeaders: Set<String> = ["Accept", "Accept-Language", "Content-Language", "Content-Type"]

    let allowOrigins: Set<String>
    let allowOriginPattern: PatternBox?
    let allowMethods: [String]
    let allowHeaders: [String]
    let allowAllOrigins: Bool
    let allowAllHeaders: Bool
    let allowCredentials: Bool
    let simpleHeaders: [(String, String)]
    let preflightHeaders: [(String, String)]
    let preflightExplicitAllowOrigin: Bool

    /// Creates the middleware; `"*"` allows every origin, method or header.
    /// - Parameters:
    ///   - allowOrigins: the origins allowed (`https://app.example`).
    ///   - allowOriginRegex: a regular expression an allowed origin must fully match.
    ///   - allowMethods: the methods allowed in cross-origin requests (`GET` by default).
    ///   - allowHeaders: the request headers allowed (the CORS-safelisted ones always are).
    ///   - allowCredentials: whether cookies and authorization may be sent.
    ///   - exposeHeaders: response headers the browser may show to scripts.
    ///   - maxAge: seconds a browser may cache a preflight answer.
    public init(
        allowOrigins: [String] = [], allowOriginRegex: String? = nil, allowMethods: [String] = ["GET"],
        allowHeaders: [String] = [], allowCredentials: Bool = false, exposeHeaders: [String] = [], maxAge: Int = 600
    ) {
        let methods = allowMethods.contains("*") ? Self.allMethods : allowMethods
        self.allowAllOrigins = allowOrigins.contains("*")
        self.allowAllHeaders = allowHeaders.contains("*")
        self.allowCredentials = allowCredentials
        self.allowOrigins = Set(allowOrigins)
        self.allowOriginPattern = allowOriginRegex.map {
            PatternBox.compile("^(?:" + $0 + ")$", for: "CORSMiddleware(allowOriginRegex: \"\($0)\")")
        }
        self.allowMethods = methods
        self.preflightExplicitAllowOrigin = !self.allowAllOrigins || allowCredentials

        var simple: [(String, String)] = []
        if self.allowAllOrigins { simple.append(("Access-Control-Allow-Origin", "*")) }
        if allowCredentials { simple.append(("Access-Control-Allow-Credentials", "true")) }
        if !exposeHeaders.isEmpty { simple.append(("Access-Control-Expose-Headers", exposeHeaders.joined(separator: ", "))) }
        self.simpleHeaders = simple

        var preflight: [(String, String)] = [
            (
                "Vary",
                "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network"
            )
        ]
        if !self.preflightExplicitAllowOrigin { preflight.append(("Access-Control-Allow-Origin", "*")) }
        preflight.append(("Access-Control-Allow-Methods", methods.joined(separator: ", ")))
        preflight.append(("Access-Control-Max-Age", String(maxAge)))
        let headers = Self.safelistedHeaders.union(allowHeaders).sorted()
        if !self.allowAllHeaders { preflight.append(("Access-Control-Allow-Headers", headers.joined(separator: ", "))) }
        if allowCredentials { preflight.append(("Access-Control-Allow-Credentials", "true")) }
        self.preflightHeaders = preflight
        self.allowHeaders = headers.map { $0.lowercased() }
    }

    public func respond(to request: Request, next: MiddlewareNext) async throws -> Response {
        let origin = request.headers.first(name: "origin")
        if let origin, request.method == .OPTIONS, request.headers.contains(name: "access-control-request-method") {
            return self.preflight(request, origin: origin)
        }
        var response = try await next(request)
        if let origin {
            for (name, value) in self.simpleHeaders { response.headers.replaceOrAdd(name: name, value: value) }
        }
        if let origin, (self.allowAllOrigins && self.allowCredentials) || (!self.allowAllOrigins && self.isAllowed(origin)) {
            response.headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: origin)
        }
        Self.addVary("Origin", to: &response.headers)
        return response
    }

    private func preflight(_ request: Request, origin: String) -> Response {
        var headers = HTTPHeaders(self.preflightHeaders)
        var failures: [String] = []
        if self.isAllowed(origin) {
            if self.preflightExplicitAllowOrigin { headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: origin) }
        } else {
            failures.append("origin")
        }
        if !self.allowMethods.contains(request.headers.first(name: "access-control-request-method") ?? "") {
            failures.append("method")
        }
        if let requested = request.headers.first(name: "access-control-request-headers") {
            if self.allowAllHeaders {
                headers.replaceOrAdd(name: "Access-Control-Allow-Headers", value: requested)
            } else if requested.split(separator: ",", omittingEmptySubsequences: false).contains(where: { header in
                !self.allowHeaders.contains(header.lowercased().trimmingCharacters(in: .whitespaces))
            }) {
                failures.append("headers")
            }
        }
        if request.headers.contains(name: "access-control-request-private-network") { failures.append("private-network") }
        headers.add(name: "content-type", value: "text/plain; charset=utf-8")
        if failures.isEmpty { return Response(status: .ok, headers: headers, body: "OK") }
        return Response(status: .badRequest, headers: headers, body: "Disallowed CORS " + failures.joined(separator: ", "))
    }

    private func isAllowed(_ origin: String) -> Bool {
        self.allowAllOrigins || self.allowOriginPattern?.matches(origin) == true || self.allowOrigins.contains(origin)
    }

    /// Appends `value` to the response's `Vary` header, as Starlette's `add_vary_header`.
    static func addVary(_ value: String, to headers: inout HTTPHeaders) {
        let existing = headers["vary"]
        headers.replaceOrAdd(name: "Vary", value: (existing + [value]).joined(separator: ", "))
    }
}
