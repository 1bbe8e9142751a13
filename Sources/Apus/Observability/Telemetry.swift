public import CoreMetrics
public import Instrumentation
public import Logging
public import Tracing

/// What Apus reports about the requests it serves and the work it runs: metrics through
/// swift-metrics and traces through swift-distributed-tracing, to the backends the app
/// chooses (Prometheus, OpenTelemetry, StatsD...). Off by default: without a factory or a
/// tracer nothing is measured and the request path pays one `nil` check.
///
/// ```swift
/// import Metrics
///
/// let app = App(title: "Inventory")
/// app.telemetry = .bootstrapped   // MetricsSystem's factory and InstrumentationSystem's tracer
/// ```
///
/// The metrics follow OpenTelemetry's HTTP server conventions (`http.server.request.duration`
/// with the route's *template* as `http.route`, `http.server.active_requests`, the body sizes)
/// and add what only Apus can measure: the blocking pool, the event loops, WebSockets,
/// background tasks and `Depends(..., maxConcurrency:)`. docs/observability.md lists them all.
public struct Telemetry: Sendable {
    /// Where metrics go; `nil` measures none.
    public var metrics: (any MetricsFactory)?
    /// Where spans go; `nil` traces nothing. A request's span is the parent of its
    /// dependencies', handler's, response encoding's and background tasks' spans, and its
    /// context is `ServiceContext.current` in the handler.
    public var tracer: (any Tracer)?
    /// Metadata the app's log lines carry from the current span: the tracer's `trace_id` and
    /// `span_id` (swift-otel's `OTel.makeLoggingMetadataProvider()`), so that a log line
    /// leads to its trace. Added to the app's logger when it starts.
    public var logMetadata: Logger.MetadataProvider?
    /// Which spans a sampled request gets besides its server span.
    public var spans: SpanDetail = .full

    /// The spans of a sampled request.
    public enum SpanDetail: Sendable {
        /// The server span and a child for each dependency, the handler, the response's
        /// encoding and each background task (FastAPI's native OpenTelemetry spans).
        case full
        /// The server span only: a third of the spans to export at full sampling.
        case requests
    }

    /// Sends metrics to `metrics` and spans to `tracer` (with `spans`' children); `logMetadata`
    /// joins the app's log lines.
    public init(
        metrics: (any MetricsFactory)? = nil, tracer: (any Tracer)? = nil, logMetadata: Logger.MetadataProvider? = nil,
        spans: SpanDetail = .full
    ) {
        self.metrics = metrics
        self.tracer = tracer
        self.logMetadata = logMetadata
        self.spans = spans
    }

    /// Nothing measured, nothing traced (the default).
    public static var off: Telemetry { Telemetry() }

    /// The process's bootstrapped backends: `MetricsSystem.factory` and
    /// `InstrumentationSystem.tracer` (bootstrap them before the app starts).
    public static var bootstrapped: Telemetry {
        Telemetry(metrics: MetricsSystem.factory, tracer: InstrumentationSystem.tracer)
    }

    /// Whether anything is measured or traced.
    var isOn: Bool { self.metrics != nil || self.tracer != nil }
}
