import NIOCore
import NIOHTTP1

/// A request admitted to a route, receiving its body: buffered within the route's limit, or a
/// multipart form parsed while it arrives (files spooled to disk).
package final class RouteIntake: RequestIntake {
    private var request: Request
    private let route: RequestPipeline.Route
    private let pipeline: RequestPipeline
    /// The multipart form being parsed, or `nil` for a buffered body.
    private let collector: MultipartCollector?
    /// The parsed form, once the body is complete.
    private var form: FormData?

    init(request: Request, route: RequestPipeline.Route, pipeline: RequestPipeline, collector: MultipartCollector?) {
        self.request = request
        self.route = route
        self.pipeline = pipeline
        self.collector = collector
    }

    package var streamsUpload: Bool { self.collector != nil }

    package func receive(_ chunk: ByteBuffer) -> Response? {
        if let collector = self.collector {
            do {
                try collector.feed(chunk)
                return nil
            } catch {
                return error.response(limits: self.pipeline.multipartLimits)
            }
        }
        var chunk = chunk
        self.request.body.setOrWriteBuffer(&chunk)
        if let size = self.request.body?.readableBytes, size > self.route.bodyLimit { return .payloadTooLarge }
        return nil
    }

    package func finish() -> Response? {
        guard let collector = self.collector else { return nil }
        do {
            self.form = try collector.finish()
            return nil
        } catch {
            return error.response(limits: self.pipeline.multipartLimits)
        }
    }

    package func respond(
        eventLoop: any EventLoop, executor: (any TaskExecutor)?, completion: @escaping @Sendable (Response) -> Void
    ) -> (any Cancellable)? {
        self.pipeline.respond(
            to: self.request, form: self.form, route: self.route, eventLoop: eventLoop, executor: executor, completion: completion)
    }

    /// Reads and validates every parameter without running the handler (the fuzz targets and
    /// micro benchmarks): what ``respond(eventLoop:executor:completion:)`` decides first.
    package func validate() -> RequestPipeline.Preparation {
        self.pipeline.prepare(self.request, form: self.form, route: self.route)
    }

    package func discard() {
        self.collector?.discard()
    }
}

extension RequestPipeline: HTTPResponder {
    /// Decides what to do with a request head: routing (with app middleware, routing's own
    /// answers run through the middleware as a route), then the route's body policy.
    package func admit(_ request: Request) -> Admission {
        var request = request
        let route: Route
        switch self.lookup(request) {
        case .route(let found, let parameters):
            route = found
            request.pathParameters = parameters
        case .answer(let response) where self.middleware.isEmpty:
            return .answer(response)
        case .answer(let response):
            route = self.routingAnswer(response)
        }
        if route.acceptsForm, let contentType = request.headers.first(name: "content-type"),
            let collector = MultipartCollector(contentType: contentType, limits: self.multipartLimits, spool: !route.uploadsInMemory)
        {
            // A multipart body is parsed while it arrives, within the multipart limits instead of the body limit.
            return .receive(RouteIntake(request: request, route: route, pipeline: self, collector: collector))
        }
        if let declared = request.headers.first(name: "content-length").flatMap(Int.init), declared > route.bodyLimit {
            return .refuse(.payloadTooLarge)
        }
        return .receive(RouteIntake(request: request, route: route, pipeline: self, collector: nil))
    }
}

extension RequestPipeline.Cancellation: Cancellable {}
