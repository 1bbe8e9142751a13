import CoreMetrics
package import Tracing

/// Everything Apus measures and traces, made once from the app's ``Telemetry`` when it starts.
/// The parts are `nil` when their backend is: each place that measures checks one optional.
package final class Instruments: Sendable {
    let http: HTTPServerMetrics?
    let pool: BlockingPoolMetrics?
    let eventLoops: EventLoopMetrics?
    let webSockets: WebSocketMetrics?
    let backgroundTasks: BackgroundTaskMetrics?
    let concurrencyLimits: ConcurrencyLimitMetrics?
    /// Where spans go.
    package let tracer: (any Tracer)?
    /// Whether a sampled request's work gets child spans (``Telemetry/SpanDetail/full``).
    let childSpans: Bool

    /// `nil` when `telemetry` measures and traces nothing.
    package convenience init?(_ telemetry: Telemetry) {
        guard telemetry.isOn else { return nil }
        self.init(metrics: telemetry.metrics, tracer: telemetry.tracer, childSpans: telemetry.spans == .full)
    }

    private init(metrics factory: (any MetricsFactory)?, tracer: (any Tracer)?, childSpans: Bool) {
        self.childSpans = childSpans
        self.http = factory.map(HTTPServerMetrics.init(factory:))
        self.pool = factory.map(BlockingPoolMetrics.init(factory:))
        self.eventLoops = factory.map(EventLoopMetrics.init(factory:))
        self.webSockets = factory.map(WebSocketMetrics.init(factory:))
        self.backgroundTasks = factory.map(BackgroundTaskMetrics.init(factory:))
        self.concurrencyLimits = factory.map(ConcurrencyLimitMetrics.init(factory:))
        self.tracer = tracer
    }
}
