import Logging
import NIOHTTP1

extension RequestPipeline {
    /// The response for an error thrown by a handler: the app's error handlers first, then
    /// ``HTTPError``, ``RequestValidationError``, and 500 for anything else (logged).
    func response(for error: any Error, request: Request) -> Response {
        for handler in self.errorHandlers {
            if let response = handler.handle(error, request) { return response }
        }
        switch error {
        case let error as HTTPError:
            return error.response
        case let error as RequestValidationError:
            return error.response
        default:
            self.logger.error(
                "Unhandled error in \(request.method) \(request.path): \(String(reflecting: error))",
                metadata: ["http.method": "\(request.method)", "http.path": "\(request.path)"])
            return Self.internalServerError
        }
    }

    static var internalServerError: Response { .plainText("Internal Server Error", status: .internalServerError) }
}

/// An app error handler registered with `App.onError`.
struct ErrorHandler: Sendable {
    let handle: @Sendable (any Error, Request) -> Response?
}
