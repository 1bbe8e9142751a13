public import Foundation
import NIOConcurrencyHelpers
public import NIOHTTP1

/// What a handler (or a dependency) changes in the response its return value becomes:
/// status, headers and cookies (FastAPI's `response: Response` parameter). The route's
/// documented response model stays the return type's.
///
/// ```swift
/// app.post("/login", Form<String>("username"), .response) { username, response async throws in
///     try response.setCookie("session", newSession(for: username), httpOnly: true)
///     response.status = .accepted
///     return ["user": username]
/// }
/// ```
///
/// The changes apply to a successful answer; a thrown error's response is made without them,
/// as in FastAPI.
public final class ResponseChanges: Sendable {
    private struct State {
        var status: HTTPResponseStatus?
        var headers: HTTPHeaders = [:]
    }

    private let state = NIOLockedValueBox(State())

    init() {}

    /// Replaces the route's status.
    public var status: HTTPResponseStatus? {
        get { self.state.withLockedValue { $0.status } }
        set { self.state.withLockedValue { $0.status = newValue } }
    }

    /// Headers added to the response (a `content-type` or `content-length` here replaces the encoded one's).
    public var headers: HTTPHeaders {
        get { self.state.withLockedValue { $0.headers } }
        set { self.state.withLockedValue { $0.headers = newValue } }
    }

    /// Sets a cookie as Starlette's `set_cookie` writes it (see `HTTPHeaders.setCookie`).
    public func setCookie(
        _ name: String, _ value: String = "", maxAge: Int? = nil, expires: Date? = nil, path: String? = "/",
        domain: String? = nil, secure: Bool = false, httpOnly: Bool = false, sameSite: SameSite? = .lax
    ) throws(CookieError) {
        var headers = HTTPHeaders()
        try headers.setCookie(
            name, value, maxAge: maxAge, expires: expires, path: path, domain: domain, secure: secure, httpOnly: httpOnly,
            sameSite: sameSite)
        self.state.withLockedValue { $0.headers.add(contentsOf: headers) }
    }

    /// Deletes a cookie as Starlette's `delete_cookie` does.
    public func deleteCookie(
        _ name: String, path: String? = "/", domain: String? = nil, secure: Bool = false, httpOnly: Bool = false,
        sameSite: SameSite? = .lax
    ) throws(CookieError) {
        var headers = HTTPHeaders()
        try headers.deleteCookie(name, path: path, domain: domain, secure: secure, httpOnly: httpOnly, sameSite: sameSite)
        self.state.withLockedValue { $0.headers.add(contentsOf: headers) }
    }

    /// The response with the changes: the status if one was set, the headers added (a
    /// content header replaces the encoded one).
    func apply(to response: inout Response) {
        let state = self.state.withLockedValue { $0 }
        if let status = state.status { response.status = status }
        for (name, value) in state.headers {
            if ["content-type", "content-length"].contains(name.lowercased()) {
                response.headers.replaceOrAdd(name: name, value: value)
            } else {
                response.headers.add(name: name, value: value)
            }
        }
    }
}
