import Foundation
/// Refuses requests whose `Host` is not one of `allowedHosts` with Starlette's 400
/// `Invalid host header` (`*.example.com` allows subdomains; `*` allows any). A request for
/// `example.com` when only `www.example.com` is allowed is redirected there.
///
/// ```swift
/// app.addMiddleware(TrustedHostMiddleware(allowedHosts: ["example.com", "*.example.com"]))
/// ```
public struct TrustedHostMiddleware: Middleware {
    let allowedHosts: [String]
    let allowAny: Bool
    let wwwRedirect: Bool

    /// Creates the middleware.
    /// - Precondition: a wildcard only as `*` or a leading `*.` (a programming error otherwise).
    public init(allowedHosts: [String] = ["*"], wwwRedirect: Bool = true) {
        for pattern in allowedHosts where pattern != "*" {
            precondition(
                !pattern.dropFirst().contains("*") && (!pattern.hasPrefix("*") || pattern.hasPrefix("*.")),
                "TrustedHostMiddleware: domain wildcard patterns must be like '*.example.com', not '\(pattern)'")
        }
        self.allowedHosts = allowedHosts.map { $0.lowercased() }
        self.allowAny = allowedHosts.contains("*")
        self.wwwRedirect = wwwRedirect
    }

    public func respond(to request: Request, next: MiddlewareNext) async throws -> Response {
        if self.allowAny { return try await next(request) }
        guard let hostHeader = request.headers.first(name: "host"), let host = Self.hostName(hostHeader) else {
            return Self.invalid
        }
        var foundWWW = false
        for pattern in self.allowedHosts {
            if host == pattern || (pattern.hasPrefix("*") && host.hasSuffix(pattern.dropFirst())) {
                return try await next(request)
            }
            if "www." + host == pattern { foundWWW = true }
        }
        if foundWWW && self.wwwRedirect {
            return Redirect(to: "\(request.scheme)://www.\(hostHeader)\(request.uri)").response
        }
        return Self.invalid
    }

    static var invalid: Response { .plainText("Invalid host header", status: .badRequest) }

    /// The host of a `Host` header, lower-cased, without the port (`[::1]:80` -> `::1`).
    static func hostName(_ header: String) -> String? {
        let value = header.trimmingCharacters(in: .whitespaces).lowercased()
        guard !value.isEmpty else { return nil }
        if value.hasPrefix("[") {
            guard let end = value.firstIndex(of: "]") else { return nil }
            return String(value[value.index(after: value.startIndex)..<end])
        }
        return String(value.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)[0])
    }
}
