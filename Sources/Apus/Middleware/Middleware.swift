/// Code that runs around routing and handlers: it sees every request and every response
/// (404s included) and may answer by itself (Starlette's middleware).
///
/// ```swift
/// struct Timing: Middleware {
///     func respond(to request: Request, next: MiddlewareNext) async throws -> Response {
///         let start = ContinuousClock.now
///         var response = try await next(request)
///         response.headers.add(name: "server-timing", value: "app;dur=\(ContinuousClock.now - start)")
///         return response
///     }
/// }
/// app.addMiddleware(Timing())
/// ```
///
/// Order, as in Starlette: the middleware added **last** runs **first** (outermost). App
/// middleware runs around routing; a ``Router``'s middleware runs after routing, around its
/// own routes only, inside the app's. Middleware runs on the event loop and must not block.
/// An error a handler throws has already become a response when `next` returns; an error a
/// middleware throws is answered like a handler's (error handlers, ``HTTPError``, 500).
/// Routing uses the request as received: a middleware can change headers, not the path.
public protocol Middleware: Sendable {
    /// Answers `request`, usually by calling `next` and adjusting its response.
    func respond(to request: Request, next: MiddlewareNext) async throws -> Response
}

/// The rest of the chain: the next middleware, or routing and the handler.
public struct MiddlewareNext: Sendable {
    let run: @Sendable (Request) async throws -> Response

    /// Passes `request` on and returns the response.
    public func callAsFunction(_ request: Request) async throws -> Response {
        try await self.run(request)
    }
}

extension Array where Element == any Middleware {
    /// Runs `request` through the middleware, outermost first, then `handler`.
    func run(_ request: Request, handler: @escaping @Sendable (Request) async throws -> Response) async throws -> Response {
        var next = handler
        for middleware in self.reversed() {
            let inner = next
            next = { request in try await middleware.respond(to: request, next: MiddlewareNext(run: inner)) }
        }
        return try await next(request)
    }
}
