import NIOCore

/// A body its handler reads as it arrives (``RequestParameter/bodyStream``): the handler starts
/// at the head, the chunks go into its ``RequestBodyStream`` (a few buffered, then the
/// connection pauses), within the route's limit. Used on one event loop.
final class StreamedIntake: RouteIntake, StreamedBodyIntake {
    private let route: RequestPipeline.Route
    private let pipeline: RequestPipeline
    private let flow = RequestBodyFlow()
    private let source: RequestBodyStream.Chunks.Source
    private let stream: RequestBodyStream
    private var received = 0
    /// The request the body belongs to (for the error handlers of a refusal).
    private let request: Request

    /// Chunks buffered for the handler before the connection stops reading (a chunk is one
    /// socket read: at most 64 KiB with NIO's default allocator), and when it reads again.
    static let highWatermark = 8
    static let lowWatermark = 2

    init(route: RequestPipeline.Route, pipeline: RequestPipeline, request: Request) {
        self.route = route
        self.pipeline = pipeline
        self.request = request
        let made = RequestBodyStream.Chunks.makeSequence(
            elementType: ByteBuffer.self, failureType: (any Error).self,
            backPressureStrategy: .init(lowWatermark: Self.lowWatermark, highWatermark: Self.highWatermark),
            finishOnDeinit: true, delegate: self.flow)
        self.source = made.source
        self.stream = RequestBodyStream(made.sequence)
    }

    var streamsUpload: Bool { true }

    func connect(resume: @escaping @Sendable () -> Void) {
        self.flow.onResume(resume)
    }

    func receiveStreamed(_ chunk: ByteBuffer) -> StreamedBodyStep {
        self.received += chunk.readableBytes
        guard self.received <= self.route.bodyLimit else {
            self.source.finish(HTTPError.payloadTooLarge)
            return .refuse(self.pipeline.answer(to: HTTPError.payloadTooLarge, request: self.request, routeHandlers: self.route.errorHandlers))
        }
        switch self.source.yield(chunk) {
        case .produceMore, .dropped: return .more
        case .stopProducing: return .pause
        }
    }

    func finishStreamed() {
        self.source.finish()
    }

    func timedOut() {
        self.source.finish(HTTPError(.requestTimeout, detail: "Request Timeout"))
    }

    /// The in-process test client's way in: the whole body at once (buffered for the handler).
    func receive(_ chunk: ByteBuffer, into request: inout Request) -> DeferredResponse? {
        if case .refuse(let refusal) = self.receiveStreamed(chunk) { return refusal }
        return nil
    }

    func finish(_ request: Request) -> DeferredResponse? {
        self.finishStreamed()
        return nil
    }

    func respond(
        to request: Request, eventLoop: any EventLoop, executor: (any TaskExecutor)?,
        completion: @escaping @Sendable (Response) -> Void
    ) -> (any Cancellable)? {
        self.pipeline.respond(
            to: request, received: .stream(self.stream), route: self.route, eventLoop: eventLoop, executor: executor,
            completion: completion)
    }

    func validate(_ request: Request) -> RequestPipeline.Preparation {
        self.pipeline.prepare(request, received: .stream(self.stream), route: self.route)
    }

    func discard() {
        // The handler's next read throws; a finished stream ignores this.
        self.source.finish(HTTPError(.badRequest, detail: "The request body ended early"))
    }
}
