import NIOCore
import NIOHTTP1

/// What the pipeline decides for a request head, before any body byte is read: the one place
/// where a route's body policy lives (buffer within a limit, stream a multipart form, or
/// answer at once). The HTTP server and the in-process test client both act on it.
package enum Admission {
    /// Answer now; the request's body, if any, is not wanted (routing's 404, 405, 307).
    /// The connection can be kept if the body is short enough to drop.
    case answer(Response)
    /// Answer now and end the connection: the body is refused unread (413 for a declared
    /// length over the route's limit).
    case refuse(Response)
    /// Read the body into the intake, then let it respond.
    case receive(RequestIntake)
}

/// A request admitted to a route, receiving its body: buffered within the route's limit, or a
/// multipart form parsed while it arrives (files spooled to disk). Used on one event loop.
///
/// The caller feeds every body chunk to ``receive(_:)`` (a response there refuses the request
/// and ends the connection), then calls ``finish()`` and, when that refuses nothing,
/// ``respond(eventLoop:executor:completion:)``; ``discard()`` when the body never completes.
package struct RequestIntake {
    private var request: Request
    private let route: RequestPipeline.Route
    private let pipeline: RequestPipeline
    /// The multipart form being parsed, or `nil` for a buffered body.
    private let form: MultipartCollector?

    init(request: Request, route: RequestPipeline.Route, pipeline: RequestPipeline, form: MultipartCollector?) {
        self.request = request
        self.route = route
        self.pipeline = pipeline
        self.form = form
    }

    /// Whether the body is an upload parsed as it arrives (its pieces may take long: a server
    /// times the gaps between them rather than the whole body).
    package var streamsUpload: Bool { self.form != nil }

    /// Takes one body chunk; a response refuses the request (413 past the limit, 400 for a
    /// malformed form) and nothing more of it should be read.
    package mutating func receive(_ chunk: ByteBuffer) -> Response? {
        if let form = self.form {
            do {
                try form.feed(chunk)
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

    /// The body is complete; a response refuses the request (a form cut off or malformed).
    package mutating func finish() -> Response? {
        guard let form = self.form else { return nil }
        do {
            self.request.form = try form.finish()
            return nil
        } catch {
            return error.response(limits: self.pipeline.multipartLimits)
        }
    }

    /// Validates the parameters and runs the handler on the right executor; `completion`
    /// receives the finished response on `eventLoop` (a file already conditional and ranged
    /// for the request). Call on `eventLoop`; returns what a client disconnect can cancel.
    package func respond(
        eventLoop: any EventLoop, executor: (any TaskExecutor)?, completion: @escaping @Sendable (Response) -> Void
    ) -> RequestPipeline.Cancellation? {
        self.pipeline.respond(to: self.request, route: self.route, eventLoop: eventLoop, executor: executor, completion: completion)
    }

    /// Reads and validates every parameter without running the handler (the fuzz targets and
    /// micro benchmarks): what ``respond(eventLoop:executor:completion:)`` would decide first.
    package func validate() -> RequestPipeline.Preparation {
        self.pipeline.prepare(self.request, route: self.route)
    }

    /// The body will not complete (the connection ended): temporary upload files go.
    package func discard() {
        self.form?.discard()
    }
}

extension RequestPipeline {
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
            let form = MultipartCollector(contentType: contentType, limits: self.multipartLimits, spool: !route.uploadsInMemory)
        {
            // A multipart body is parsed while it arrives, within the multipart limits instead of the body limit.
            return .receive(RequestIntake(request: request, route: route, pipeline: self, form: form))
        }
        if let declared = request.headers.first(name: "content-length").flatMap(Int.init), declared > route.bodyLimit {
            return .refuse(.payloadTooLarge)
        }
        return .receive(RequestIntake(request: request, route: route, pipeline: self, form: nil))
    }
}
