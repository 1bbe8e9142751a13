import NIOConcurrencyHelpers
import NIOCore

extension Responder {
    /// The pipeline with middleware: one task on the event loop runs the app's middleware,
    /// then the route's routers' middleware, then the handler (a sync one on the pool); the
    /// background tasks and teardowns run after the response is handed over.
    func respondThroughMiddleware(
        to request: Request, route: Route, eventLoop: any EventLoop, executor: any TaskExecutor,
        completion: @escaping @Sendable (Response) -> Void
    ) -> Cancellation {
        let preferred: (any TaskExecutor)? = self.asyncPlacement == .eventLoop ? executor : nil
        let probe = self.watchdog?.probe(for: eventLoop)
        let task = Task(executorPreference: preferred) {
            let pending = PendingScope()
            probe?.enter(route.id)
            let response: Response
            do {
                response = try await self.middleware.run(request) { request in
                    try await route.middleware.run(request) { request in
                        await self.handle(request, route: route, pending: pending)
                    }
                }
            } catch {
                response = self.response(for: error, request: request)
            }
            probe?.leave()
            let scope = pending.scope
            scope?.tracker.begin()
            if eventLoop.inEventLoop {
                completion(response)
            } else {
                eventLoop.execute { completion(response) }
            }
            if let scope {
                await scope.finish(request: request)
                scope.tracker.end()
            }
        }
        return .task(task)
    }

    /// Validates and runs the route's handler for `request` and turns errors into responses.
    private func handle(_ request: Request, route: Route, pending: PendingScope) async -> Response {
        switch self.prepare(request, route: route) {
        case .invalid(let errors):
            return .json(RequestValidationError(errors: errors).body, status: .unprocessableEntity)
        case .rejected(let response):
            return response
        case .run(.async(let run)):
            do { return try await run() } catch { return self.response(for: error, request: request) }
        case .run(.sync(let run)):
            do { return try await self.pool.run(run) } catch { return self.response(for: error, request: request) }
        case .run(.orchestrated(let scope, let run)):
            do {
                let response = try await run(scope)
                pending.scope = scope
                return response
            } catch {
                return self.response(for: await scope.unwind(error), request: request)
            }
        }
    }
}

/// The scope of a request whose background tasks and teardowns wait for the response.
private final class PendingScope: Sendable {
    private let box = NIOLockedValueBox<RequestScope?>(nil)
    var scope: RequestScope? {
        get { self.box.withLockedValue { $0 } }
        set { self.box.withLockedValue { $0 = newValue } }
    }
}
