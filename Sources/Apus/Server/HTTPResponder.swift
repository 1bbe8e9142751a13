import NIOCore
import NIOHTTP1

/// What the HTTP engine asks of the layer above it: the engine parses, limits and times
/// requests and writes responses; a responder decides what each request gets. The engine
/// knows nothing of routes, forms or WebSockets; the request pipeline is its responder, and
/// the in-process test client calls the same two steps (``admit(_:)``, then the intake).
protocol HTTPResponder: Sendable {
    /// Decides what to do with a request head, before any body byte is read.
    func admit(_ request: Request) -> Admission

    /// The answer to an error the engine meets itself (a malformed request's 400, a head over
    /// the limit's 431, a request timeout's 408, a head the engine refuses): the app's error
    /// handlers' response. `head` is the request head when it was complete.
    func answer(_ error: HTTPError, head: HTTPRequestHead?) -> DeferredResponse

    /// Whether the responder takes the connection over for this upgrade request (a WebSocket
    /// handshake); any other upgrade request is served as a plain request.
    func performsUpgrade(_ head: HTTPRequestHead) -> Bool

    /// Starts an upgrade ``performsUpgrade(_:)`` accepted: the protocol switch, or the
    /// response that refuses it. Call on the connection's event loop.
    func upgrade(
        _ request: Request, head: HTTPRequestHead, connection: HTTPConnectionHandler, context: ChannelHandlerContext
    ) -> UpgradeAdmission
}

/// What a responder decides for a request head: the one place where a route's body policy
/// lives (buffer within a limit, stream a multipart form, or answer at once).
package enum Admission {
    /// Answer now; the request's body, if any, is not wanted (routing's 404, 405, 307).
    /// The connection can be kept if the body is short enough to drop.
    case answer(Response)
    /// Answer and end the connection: the body is refused unread (413 for a declared
    /// length over the route's limit).
    case refuse(DeferredResponse)
    /// Read the body of the request (with its path parameters) through the intake, then let it respond.
    case receive(any RequestIntake, Request)
}

/// How an admitted request receives its body and is answered. Used on one event loop. The
/// caller keeps the ``Request`` (an intake is often shared by every request of a route, so
/// that admitting one allocates nothing).
///
/// The caller feeds every body chunk to ``receive(_:into:)`` (a response there refuses the
/// request and ends the connection), then calls ``finish(_:)`` and, when that refuses
/// nothing, ``respond(to:eventLoop:executor:completion:)``; ``discard()`` when the body never
/// completes.
package protocol RequestIntake {
    /// Whether the body is an upload parsed as it arrives (its pieces may take long: the
    /// engine times the gaps between them rather than the whole body).
    var streamsUpload: Bool { get }
    /// Takes one body chunk of `request`; a response refuses the request and nothing more of it is read.
    func receive(_ chunk: ByteBuffer, into request: inout Request) -> DeferredResponse?
    /// The body of `request` is complete; a response refuses the request.
    func finish(_ request: Request) -> DeferredResponse?
    /// Runs `request`; `completion` receives the finished response on `eventLoop` (a file
    /// already conditional and ranged for the request). Returns what a disconnect can cancel.
    func respond(
        to request: Request, eventLoop: any EventLoop, executor: (any TaskExecutor)?,
        completion: @escaping @Sendable (Response) -> Void
    ) -> (any Cancellable)?
    /// The body will not complete (the connection ended): what it holds (temporary files) goes.
    func discard()
}

/// An intake whose handler reads the body as it arrives (a ``RequestBodyStream``): the engine
/// calls ``RequestIntake/respond(to:eventLoop:executor:completion:)`` when the head is
/// admitted, then feeds chunks through ``receiveStreamed(_:)`` and pauses reading while the
/// handler has enough buffered. Used on one event loop.
package protocol StreamedBodyIntake: RequestIntake {
    /// `resume` asks the connection to read again after a ``StreamedBodyStep/pause``; set before the handler starts.
    func connect(resume: @escaping @Sendable () -> Void)
    /// Takes one body chunk.
    func receiveStreamed(_ chunk: ByteBuffer) -> StreamedBodyStep
    /// The body ended: the handler's read sees the end.
    func finishStreamed()
    /// The client stopped sending for the request timeout: the handler's next read throws 408.
    func timedOut()
}

/// What a streamed body chunk asks of the connection.
package enum StreamedBodyStep {
    /// Read on.
    case more
    /// Stop reading until the intake's resume.
    case pause
    /// Refuse the request (413 past the route's limit) and close; the handler's answer is not sent.
    case refuse(DeferredResponse)
}

/// A response made at once, or one an async error handler is still making.
package enum DeferredResponse: Sendable {
    case ready(Response)
    case pending(@Sendable () async -> Response)

    /// Hands the response to `completion` on `eventLoop` (at once when it is ready and the
    /// caller is there; a pending one from a task preferring `executor`).
    package func deliver(
        on eventLoop: any EventLoop, executor: (any TaskExecutor)?, to completion: @escaping @Sendable (Response) -> Void
    ) {
        switch self {
        case .ready(let response):
            deliverResponse(response, on: eventLoop, to: completion)
        case .pending(let make):
            Task(executorPreference: executor) {
                let response = await make()
                eventLoop.execute { completion(response) }
            }
        }
    }
}

/// Hands `response` to `completion` on `eventLoop`, hopping there unless already on it.
@inline(__always)
package func deliverResponse(_ response: Response, on eventLoop: any EventLoop, to completion: @escaping @Sendable (Response) -> Void) {
    if eventLoop.inEventLoop {
        completion(response)
    } else {
        eventLoop.execute { completion(response) }
    }
}

/// Work answering a request that a client disconnect can cancel.
package protocol Cancellable: Sendable {
    /// Cancels the work; returns whether it will still answer (a task always finishes, a
    /// sync job dropped before it started never does).
    @discardableResult
    func cancel() -> Bool
}

/// A task producing a response (a streamed body) as a ``Cancellable``.
struct TaskCancellation: Cancellable {
    let task: Task<Void, Never>

    func cancel() -> Bool {
        self.task.cancel()
        return true
    }
}

/// A responder's decision on an upgrade request.
enum UpgradeAdmission {
    /// Refuse it with this response, then close.
    case refuse(Response)
    /// Switch protocols: the upgrade decides when its request ends.
    case upgrade(any ConnectionUpgrade)
}

/// A protocol switch in progress on a connection (a WebSocket handshake): the engine stops
/// parsing HTTP and holds reads until the upgrade completes
/// (``HTTPConnectionHandler/switchProtocols(to:context:)`` and
/// ``HTTPConnectionHandler/completeUpgrade(context:)``) or is refused
/// (``HTTPConnectionHandler/refuseUpgrade(_:version:context:)``).
protocol ConnectionUpgrade: AnyObject {
    /// The upgrade request's end arrived; the request timeout no longer runs.
    func start(connection: HTTPConnectionHandler, context: ChannelHandlerContext)
    /// The connection closed before the upgrade completed.
    func connectionClosed()
}
