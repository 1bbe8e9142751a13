import CoreMetrics
import Dispatch
import NIOHTTP1
import Tracing

extension ArrivalTime {
    /// Now; the wall clock (a second clock read) only when `instruments` trace.
    static func now(for instruments: Instruments) -> ArrivalTime {
        ArrivalTime(
            uptimeNanoseconds: DispatchTime.now().uptimeNanoseconds,
            wallClockNanoseconds: instruments.tracer == nil ? 0 : WallClockInstant.now.nanosecondsSinceEpoch)
    }
}

/// One routed request being answered: its server span (the parent of its dependencies',
/// handler's, encoding's and background tasks' spans) and its place in the request metrics.
/// Made when the request is run; ``end(with:)`` when its response is handed to the connection.
package final class RequestObservation: Sendable {
    private let metrics: HTTPServerMetrics?
    /// The method's active-requests meter, looked up once.
    private let active: Meter?
    private let method: String
    private let route: String?
    private let arrival: ArrivalTime
    private let requestBytes: Int?
    /// The request's server span, if tracing is on.
    let span: (any Span)?
    /// Where the request's work makes its child spans: `nil` unless its span is recorded (a
    /// request the sampler left out costs one span, not five) and children are wanted.
    let childTracer: (any Tracer)?

    init(request: Request, route: String?, arrival: ArrivalTime, instruments: Instruments) {
        let method = HTTPServerMetrics.dimension(for: request.method)
        self.metrics = instruments.http
        self.method = method
        self.route = route
        self.arrival = arrival
        self.requestBytes = request.body?.readableBytes ?? request.headers.first(name: "content-length").flatMap(Int.init)
        if let tracer = instruments.tracer {
            var context = ServiceContext.current ?? .topLevel
            tracer.extract(request.headers, into: &context, using: HTTPHeadersExtractor())
            let span = tracer.startSpan(
                route.map { "\(method) \($0)" } ?? method, context: context, ofKind: .server,
                at: WallClockInstant(nanosecondsSinceEpoch: arrival.wallClockNanoseconds))
            if span.isRecording {
                span.updateAttributes { attributes in
                    attributes["http.request.method"] = method
                    attributes["url.path"] = request.path
                    if let query = request.query { attributes["url.query"] = query }
                    attributes["url.scheme"] = "http"
                    if let route { attributes["http.route"] = route }
                    if let agent = request.headers.first(name: "user-agent") { attributes["user_agent.original"] = agent }
                }
            }
            self.span = span
            self.childTracer = span.isRecording && instruments.childSpans ? tracer : nil
        } else {
            self.span = nil
            self.childTracer = nil
        }
        self.active = self.metrics?.activeRequests(method: method)
        self.active?.increment()
    }

    /// The context the request's work runs in (`ServiceContext.current` in its handler).
    var context: ServiceContext? { self.span?.context }

    /// The response is handed to the connection: the span ends, the request is counted.
    func end(with response: Response) {
        let status = Int(response.status.code)
        if let span, span.isRecording {
            span.attributes["http.response.status_code"] = status
            if status >= 500 {
                span.attributes["error.type"] = String(status)
                span.setStatus(SpanStatus(code: .error))
            }
            if let size = response.knownBodySize { span.attributes["http.response.body.size"] = size }
        }
        self.span?.end()
        self.active?.decrement()
        self.metrics?.record(
            HTTPServerMetrics.Series(method: self.method, route: self.route, status: status),
            nanoseconds: DispatchTime.now().uptimeNanoseconds &- self.arrival.uptimeNanoseconds,
            requestBytes: self.requestBytes, responseBytes: response.knownBodySize)
    }
}

extension Response {
    /// The body's size when it is known before it is written: a buffered body, or a stream
    /// or file with a `Content-Length`.
    var knownBodySize: Int? {
        if self.bodyStream == nil { return self.body.readableBytes }
        return self.headers.first(name: "content-length").flatMap(Int.init)
    }
}
