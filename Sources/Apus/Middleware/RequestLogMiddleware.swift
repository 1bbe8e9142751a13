import Foundation
public import Logging

/// Gives every request an id and logs one line per request on swift-log: method, path,
/// status, duration and request id, also as structured metadata (`http.method`,
/// `http.path`, `http.status`, `duration_ms`, `request_id`).
///
/// The id is the request's `X-Request-ID` when it sends a usable one (1 to 200 visible ASCII
/// characters), else a new UUID; handlers read it as `Header<String>("x_request_id")` and it
/// is returned in the response's `X-Request-ID`.
///
/// ```swift
/// app.addMiddleware(RequestLogMiddleware(logger: Logger(label: "access")))
/// // info: GET /items/42 200 0.41 ms [request_id: 5F0C...]
/// ```
public struct RequestLogMiddleware: Middleware {
    let logger: Logger
    let level: Logger.Level

    /// Creates the middleware, logging at `level` (`info` by default).
    public init(logger: Logger, level: Logger.Level = .info) {
        self.logger = logger
        self.level = level
    }

    public func respond(to request: Request, next: MiddlewareNext) async throws -> Response {
        let start = ContinuousClock.now
        var request = request
        let sent = request.headers.first(name: "x-request-id")
        let id = sent.flatMap(Self.usable) ?? UUID().uuidString
        request.headers.replaceOrAdd(name: "x-request-id", value: id)
        do {
            var response = try await next(request)
            response.headers.replaceOrAdd(name: "x-request-id", value: id)
            self.log(request, status: Int(response.status.code), id: id, since: start)
            return response
        } catch {
            self.log(request, status: 500, id: id, since: start)
            throw error
        }
    }

    private func log(_ request: Request, status: Int, id: String, since start: ContinuousClock.Instant) {
        let duration = ContinuousClock.now - start
        let milliseconds = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        let formatted = String(format: "%.2f", milliseconds)
        self.logger.log(
            level: self.level, "\(request.method) \(request.path) \(status) \(formatted) ms",
            metadata: [
                "http.method": "\(request.method)", "http.path": "\(request.path)", "http.status": "\(status)",
                "duration_ms": "\(formatted)", "request_id": "\(id)",
            ])
    }

    /// A client's request id, when it is 1 to 200 visible ASCII characters.
    static func usable(_ id: String) -> String? {
        guard (1...200).contains(id.utf8.count), id.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        return id
    }
}
