/// Where the pipeline reports to the app's ``Telemetry``: each request answered is measured
/// once, whichever step answered it (a route, routing's own answer, a refusal at the head or
/// in the body, the connection's own 400, 408 or 431).
extension RequestPipeline {
    /// Begins observing a request whose route runs now (`route` is `nil` when none does): its
    /// span (whose context the work runs in) and its place in the metrics; `nil` when
    /// telemetry is off.
    func observe(_ request: Request, route: Route?) -> RequestObservation? {
        guard let instruments else { return nil }
        return RequestObservation(
            request: request, route: route?.observedTemplate, arrival: request.arrival ?? .now(for: instruments), instruments: instruments)
    }

    /// A response made without running a route.
    func observeAnswer(_ response: Response, to request: Request, route: Route?) {
        self.observe(request, route: route)?.end(with: response)
    }

    /// The answer to `error` for a request refused before its route ran (a body over the
    /// limit, a malformed form; with no route, the connection's own 400, 408 or 431), observed.
    func refusal(_ error: any Error, request: Request, route: Route?) -> DeferredResponse {
        let answer = self.answer(to: error, request: request, routeHandlers: route?.errorHandlers ?? [])
        guard self.instruments != nil else { return answer }
        return answer.observed { self.observeAnswer($0, to: request, route: route) }
    }
}

extension DeferredResponse {
    /// The same response, given to `observe` once it exists.
    func observed(_ observe: @escaping @Sendable (Response) -> Void) -> DeferredResponse {
        switch self {
        case .ready(let response):
            observe(response)
            return self
        case .pending(let make):
            return .pending {
                let response = await make()
                observe(response)
                return response
            }
        }
    }
}

extension RequestPipeline.Route {
    /// The route's template as `http.route`: `nil` for routing's own answers.
    var observedTemplate: String? { self.template == "(routing)" ? nil : self.template }
}
