import Instrumentation
import Tracing
import NIOConcurrencyHelpers
import NIOCore

/// What a request's work ended with: the response, and the scope whose background tasks and
/// teardowns run once the response is handed over (`nil` when there are none, or the work failed).
struct Outcome: Sendable {
    var response: Response
    var scope: RequestScope? = nil
}

extension RequestPipeline {
    /// Validates the request's parameters and runs the handler: FastAPI's concurrency model in
    /// one place. An async handler (and anything with middleware or dependencies) runs as one
    /// task that prefers the connection's event loop; a sync handler without them runs as a
    /// job on the blocking pool, without a task. `completion` receives the response on
    /// `eventLoop`. Call on `eventLoop`.
    func respond(
        to request: Request, received: ParsedBody?, route: Route, eventLoop: any EventLoop, executor: (any TaskExecutor)?,
        completion: @escaping @Sendable (Response) -> Void
    ) -> Cancellation? {
        if let observation = self.observe(request, route: route) {
            return self.respond(
                to: request, received: received, route: route, eventLoop: eventLoop, executor: executor, observation: observation
            ) { response in
                observation.end(with: response)
                completion(response)
            }
        }
        return self.respond(
            to: request, received: received, route: route, eventLoop: eventLoop, executor: executor, observation: nil, completion: completion)
    }

    /// ``respond(to:received:route:eventLoop:executor:completion:)`` with the work run in the
    /// context of `observation`'s span, its child spans made with its child tracer.
    @inline(__always)
    private func respond(
        to request: Request, received: ParsedBody?, route: Route, eventLoop: any EventLoop, executor: (any TaskExecutor)?,
        observation: RequestObservation?, completion: @escaping @Sendable (Response) -> Void
    ) -> Cancellation? {
        let context = observation?.context
        let tracer = observation?.childTracer
        if !self.middleware.isEmpty || route.extras?.middleware.isEmpty == false {
            return self.runTask(
                .throughMiddleware(received, tracer), route: route, request: request, eventLoop: eventLoop, executor: executor,
                context: context, completion: completion)
        }
        let preparation = self.prepare(request, received: received, route: route, tracer: tracer)
        switch preparation {
        case .invalid, .rejected:
            let answer = preparation.failure.map { self.answer(to: $0, request: request, routeHandlers: route.errorHandlers) }
            (answer ?? .ready(Self.internalServerError))
                .deliver(on: eventLoop, executor: self.preferredExecutor(executor), to: completion)
            return nil
        case .run(.sync(let run)):
            return self.runJob(run, route: route, request: request, eventLoop: eventLoop, executor: executor, context: context, completion: completion)
        case .run(let work):
            return self.runTask(
                .handler(work), route: route, request: request, eventLoop: eventLoop, executor: executor, context: context, completion: completion)
        }
    }

    /// What the task of a request runs.
    private enum TaskWork: Sendable {
        /// The handler's work, parameters already read.
        case handler(Endpoint.Work)
        /// The middleware, then the parameters and the handler (with the body the intake read,
        /// if any, and the tracer of the request's child spans).
        case throughMiddleware(ParsedBody?, (any Tracer)?)
    }

    /// The app's middleware, then the route's routers' middleware, then the handler.
    private func throughMiddleware(_ request: Request, received: ParsedBody?, route: Route, tracer: (any Tracer)?) async -> Outcome {
        let scope = NIOLockedValueBox<RequestScope?>(nil)
        let response: Response
        do {
            response = try await self.throughMiddleware(request, routeMiddleware: route.middleware) { request in
                let preparation = self.prepare(request, received: received, route: route, tracer: tracer)
                guard case .run(let work) = preparation else {
                    guard let failure = preparation.failure else { return Self.internalServerError }
                    return await self.response(for: failure, request: request, routeHandlers: route.errorHandlers)
                }
                let outcome = await self.outcome(of: work, request: request, route: route)
                scope.withLockedValue { $0 = outcome.scope }
                return outcome.response
            }
        } catch {
            response = await self.response(for: error, request: request, routeHandlers: route.errorHandlers)
        }
        return Outcome(response: response, scope: scope.withLockedValue { $0 })
    }

    /// `request` through the app's middleware, then the route's routers' middleware (outermost
    /// first), then `innermost`: the order for HTTP routes and WebSocket handshakes alike.
    func throughMiddleware(
        _ request: Request, routeMiddleware: [any Middleware],
        _ innermost: @escaping @Sendable (Request) async throws -> Response
    ) async throws -> Response {
        try await self.middleware.run(request) { request in
            try await routeMiddleware.run(request, handler: innermost)
        }
    }

    /// Runs a handler's work inside a task (a sync handler hops to the pool) and maps its errors.
    /// Inlined into the task's body: an async call less per request (each costs an executor check).
    @inline(__always)
    private func outcome(of work: Endpoint.Work, request: Request, route: Route) async -> Outcome {
        switch work {
        case .async(let run):
            do { return Outcome(response: try await run(request)) } catch {
                return Outcome(response: await self.response(for: error, request: request, routeHandlers: route.errorHandlers))
            }
        case .sync(let run):
            do { return Outcome(response: try await self.pool.run { try run(request) }) } catch {
                return Outcome(response: await self.response(for: error, request: request, routeHandlers: route.errorHandlers))
            }
        case .orchestrated(let scope, let run):
            do { return Outcome(response: try await run(scope, request), scope: scope) } catch {
                let error = await scope.unwind(error)
                return Outcome(response: await self.response(for: error, request: request, routeHandlers: route.errorHandlers))
            }
        }
    }

    /// The one task of a request: watched by the stall watchdog, its response handed over on
    /// the event loop, then the scope's background tasks and teardowns.
    private func runTask(
        _ work: TaskWork, route: Route, request: Request, eventLoop: any EventLoop, executor: (any TaskExecutor)?,
        context: ServiceContext?, completion: @escaping @Sendable (Response) -> Void
    ) -> Cancellation {
        let probe = self.watchdog?.probe(for: eventLoop)
        let preferred = self.preferredExecutor(executor)
        let work: @Sendable () async -> Void = {
            probe?.enter(route.id)
            let outcome: Outcome
            switch work {
            case .handler(let work): outcome = await self.outcome(of: work, request: request, route: route)
            case .throughMiddleware(let received, let tracer):
                outcome = await self.throughMiddleware(request, received: received, route: route, tracer: tracer)
            }
            probe?.leave()
            outcome.scope?.tracker.begin()
            deliverResponse(outcome.response, on: eventLoop, to: completion)
            if let scope = outcome.scope {
                await scope.finish(request: request)
                scope.tracker.end()
            }
        }
        // The request's span's context is the task's (`ServiceContext.current` in the handler).
        let body: @Sendable () async -> Void
        if let context {
            body = { await ServiceContext.$current.withValue(context) { await work() } }
        } else {
            body = work
        }
        // On the loop the task prefers, the task starts at once on this thread (it is the
        // loop's): a handler that does not suspend answers before `respond` returns, without
        // an enqueue and a task switch; one that suspends resumes on the loop as before.
        if preferred != nil, eventLoop.inEventLoop {
            return .task(Task.immediate(executorPreference: preferred, operation: body))
        }
        return .task(Task(executorPreference: preferred, operation: body))
    }

    /// A sync handler without middleware or dependencies: a job on the blocking pool (503 with
    /// `Retry-After` when its queue is full).
    private func runJob(
        _ run: @escaping @Sendable (Request) throws -> Response, route: Route, request: Request, eventLoop: any EventLoop,
        executor: (any TaskExecutor)?, context: ServiceContext?, completion: @escaping @Sendable (Response) -> Void
    ) -> Cancellation? {
        let preferred = self.preferredExecutor(executor)
        let job = BlockingPool.Job {
            let answer: DeferredResponse
            do {
                answer = .ready(try context.map { context in try ServiceContext.withValue(context) { try run(request) } } ?? run(request))
            } catch {
                answer = self.answer(to: error, request: request, routeHandlers: route.errorHandlers)
            }
            answer.deliver(on: eventLoop, executor: preferred, to: completion)
        }
        guard self.pool.submit(job) else {
            self.answer(to: HTTPError.poolFull, request: request, routeHandlers: route.errorHandlers)
                .deliver(on: eventLoop, executor: preferred, to: completion)
            return nil
        }
        return .job(job)
    }
}
