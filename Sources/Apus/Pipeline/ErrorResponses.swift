import Logging
import NIOHTTP1

extension RequestPipeline {
    /// The response for an error thrown by a handler: the app's error handlers first, then
    /// ``HTTPError``, ``RequestValidationError``, and 500 for anything else (logged).
    func response(for error: any Error, request: Request) -> Response {
        for handler in self.errorHandlers {
            if let response = handler.handle(error, request) { return response }
        }
        let problems = self.errorFormat == .problemDetails
        switch error {
        case let error as HTTPError:
            return problems ? error.problemResponse : error.response
        case let error as RequestValidationError:
            return problems ? error.problemResponse : error.response
        default:
            self.logger.error(
                "Unhandled error in \(request.method) \(request.path): \(String(reflecting: error))",
                metadata: ["http.method": "\(request.method)", "http.path": "\(request.path)"])
            return problems ? HTTPError(.internalServerError, detail: "Internal Server Error").problemResponse : Self.internalServerError
        }
    }

    static var internalServerError: Response { .plainText("Internal Server Error", status: .internalServerError) }
}

/// An app error handler registered with `App.onError`.
struct ErrorHandler: Sendable {
    let handle: @Sendable (any Error, Request) -> Response?
}
