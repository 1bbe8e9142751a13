import NIOCore
import NIOHTTP1

/// A route's intake: how a request admitted to it receives its body and is run.
package protocol RouteIntake: RequestIntake {
    /// Reads and validates every parameter without running the handler (the fuzz targets and
    /// micro benchmarks): what ``respond(to:eventLoop:executor:completion:)`` decides first.
    func validate(_ request: Request) -> RequestPipeline.Preparation
}

/// A body buffered whole, within the route's limit. Two references: an existential holds it
/// without an allocation, so admitting a request costs none.
struct BufferedIntake: RouteIntake {
    let route: RequestPipeline.Route
    let pipeline: RequestPipeline

    var streamsUpload: Bool { false }

    func receive(_ chunk: ByteBuffer, into request: inout Request) -> DeferredResponse? {
        var chunk = chunk
        request.body.setOrWriteBuffer(&chunk)
        if let size = request.body?.readableBytes, size > self.route.bodyLimit {
            return self.pipeline.refusal(HTTPError.payloadTooLarge, request: request, route: self.route)
        }
        return nil
    }

    func finish(_ request: Request) -> DeferredResponse? { nil }

    func respond(
        to request: Request, eventLoop: any EventLoop, executor: (any TaskExecutor)?,
        completion: @escaping @Sendable (Response) -> Void
    ) -> (any Cancellable)? {
        self.pipeline.respond(to: request, received: nil, route: self.route, eventLoop: eventLoop, executor: executor, completion: completion)
    }

    func validate(_ request: Request) -> RequestPipeline.Preparation {
        self.pipeline.prepare(request, received: nil, route: self.route)
    }

    func discard() {}
}

/// A multipart form parsed while it arrives (files spooled to disk), within the multipart limits.
final class FormIntake: RouteIntake {
    private let route: RequestPipeline.Route
    private let pipeline: RequestPipeline
    private let collector: MultipartCollector
    /// The parsed form, once the body is complete.
    private var form: FormData?

    init(route: RequestPipeline.Route, pipeline: RequestPipeline, collector: MultipartCollector) {
        self.route = route
        self.pipeline = pipeline
        self.collector = collector
    }

    var streamsUpload: Bool { true }

    func receive(_ chunk: ByteBuffer, into request: inout Request) -> DeferredResponse? {
        do {
            try self.collector.feed(chunk)
            return nil
        } catch {
            return self.refusal(error, request: request)
        }
    }

    func finish(_ request: Request) -> DeferredResponse? {
        do {
            self.form = try self.collector.finish()
            return nil
        } catch {
            return self.refusal(error, request: request)
        }
    }

    /// A malformed form or one over the limits, through the error handlers.
    private func refusal(_ failure: MultipartCollector.Failure, request: Request) -> DeferredResponse {
        return self.pipeline.refusal(failure.httpError(limits: self.pipeline.multipartLimits), request: request, route: self.route)
    }

    func respond(
        to request: Request, eventLoop: any EventLoop, executor: (any TaskExecutor)?,
        completion: @escaping @Sendable (Response) -> Void
    ) -> (any Cancellable)? {
        self.pipeline.respond(
            to: request, received: self.form.map(ParsedBody.form), route: self.route, eventLoop: eventLoop, executor: executor, completion: completion)
    }

    func validate(_ request: Request) -> RequestPipeline.Preparation {
        self.pipeline.prepare(request, received: self.form.map(ParsedBody.form), route: self.route)
    }

    func discard() {
        self.collector.discard()
    }
}

extension RequestPipeline: HTTPResponder {
    /// Decides what to do with a request head: routing (with app middleware, routing's own
    /// answers run through the middleware as a route), then the route's body policy.
    package func admit(_ request: Request) -> Admission {
        var request = request
        if let instruments { request.arrival = .now(for: instruments) }
        self.origin.resolve(&request)
        let route: Route
        switch self.lookup(request) {
        case .route(let found, let parameters):
            route = found
            request.pathParameters = parameters
        case .answer(.ready(let response)) where self.middleware.isEmpty:
            self.observeAnswer(response, to: request, route: nil)
            return .answer(response)
        case .answer(let answer):
            route = self.routingAnswer(answer)
        }
        if route.acceptsForm, let contentType = request.headers.first(name: "content-type"),
            let collector = MultipartCollector(contentType: contentType, limits: self.multipartLimits, spool: !route.uploadsInMemory)
        {
            // A multipart body is parsed while it arrives, within the multipart limits instead of the body limit.
            return .receive(FormIntake(route: route, pipeline: self, collector: collector), request)
        }
        if let declared = request.headers.first(name: "content-length").flatMap(Int.init), declared > route.bodyLimit {
            return .refuse(self.refusal(HTTPError.payloadTooLarge, request: request, route: route))
        }
        if route.streamsBody {
            // The handler starts now and reads the body as it arrives.
            return .receive(StreamedIntake(route: route, pipeline: self, request: request), request)
        }
        return .receive(BufferedIntake(route: route, pipeline: self), request)
    }
}

extension RequestPipeline.Cancellation: Cancellable {}
