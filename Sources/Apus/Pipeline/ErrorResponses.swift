import Logging
import NIOHTTP1

extension RequestPipeline {
    /// The response for an error met where the request can wait (a task): the handler the
    /// route's routers (`routeHandlers`, innermost first) or the app registered for it, else
    /// the default response.
    func response(for error: any Error, request: Request, routeHandlers: [ErrorHandler] = []) async -> Response {
        await self.answer(to: error, request: request, routeHandlers: routeHandlers).response()
    }

    /// The response for an error met where nothing can wait (admission, a body chunk, a pool
    /// thread): a sync handler's at once, an async handler's once its task made it. What a
    /// handler throws is answered with the default response.
    func answer(to error: any Error, request: Request, routeHandlers: [ErrorHandler] = []) -> DeferredResponse {
        guard let handler = routeHandlers.handler(for: error, then: self.errorHandlers) else {
            return .ready(self.defaultResponse(for: error, request: request))
        }
        switch handler.answer {
        case .sync(let make):
            do { return .ready(try make(error, request)) } catch { return .ready(self.defaultResponse(for: error, request: request)) }
        case .async(let make):
            return .pending {
                do { return try await make(error, request) } catch { return self.defaultResponse(for: error, request: request) }
            }
        }
    }

    /// The response Apus gives an error no handler took: an ``HTTPError``'s or a
    /// ``RequestValidationError``'s own (in the app's error format), else a logged 500.
    func defaultResponse(for error: any Error, request: Request) -> Response {
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

    /// The engine's own refusals (400, 408, 431, a head it refuses) through the app's handlers.
    /// Without a complete head the handler's request has an empty method and target.
    package func answer(_ error: HTTPError, head: HTTPRequestHead?) -> DeferredResponse {
        guard !self.errorHandlers.isEmpty || self.instruments != nil else {
            return .ready(self.defaultResponse(for: error, request: Self.unknownRequest))
        }
        let request = head.map { Request(method: $0.method, uri: $0.uri, headers: $0.headers) } ?? Self.unknownRequest
        return self.refusal(error, request: request, route: nil)
    }

    /// The request of a refusal whose head never arrived whole.
    private static var unknownRequest: Request { Request(method: .RAW(value: ""), uri: "") }
}

extension DeferredResponse {
    /// The response, waiting for an async handler's.
    func response() async -> Response {
        switch self {
        case .ready(let response): return response
        case .pending(let make): return await make()
        }
    }
}
