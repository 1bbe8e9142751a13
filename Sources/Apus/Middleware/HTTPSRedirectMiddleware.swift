/// Redirects every plain-HTTP request to `https://` with a 307 (Starlette's
/// `HTTPSRedirectMiddleware`); the ports 80 and 443 are dropped from the host.
///
/// Apus serves plain HTTP, so behind a TLS-terminating proxy that reports the original
/// scheme in `X-Forwarded-Proto: https` pass `trustForwardedProto: true`: such requests go
/// through.
public struct HTTPSRedirectMiddleware: Middleware {
    let trustForwardedProto: Bool

    /// Creates the middleware.
    public init(trustForwardedProto: Bool = false) {
        self.trustForwardedProto = trustForwardedProto
    }

    public func respond(to request: Request, next: MiddlewareNext) async throws -> Response {
        if self.trustForwardedProto, request.headers.first(name: "x-forwarded-proto")?.lowercased() == "https" {
            return try await next(request)
        }
        guard let host = request.headers.first(name: "host"), !host.isEmpty else { return TrustedHostMiddleware.invalid }
        var netloc = host
        if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]"), ["80", "443"].contains(host[host.index(after: colon)...]) {
            netloc = String(host[..<colon])
        }
        return Redirect(to: "https://\(netloc)\(request.uri)").response
    }
}
