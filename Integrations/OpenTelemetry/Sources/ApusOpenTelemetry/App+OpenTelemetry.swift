public import Apus
public import OTel

extension App {
    /// Exports the app's traces and metrics to an OpenTelemetry collector over OTLP/HTTP
    /// (swift-otel), and puts the current span's `trace_id` and `span_id` in the app's log
    /// lines. The exporters run as services of the app (``App/addService(_:placement:)``): ``App/run()``
    /// starts them first and stops them after the last request and background task, so what
    /// was measured is flushed on a graceful shutdown.
    ///
    /// ```swift
    /// import ApusOpenTelemetry
    ///
    /// let app = App(title: "Inventory")
    /// try app.openTelemetry(endpoint: "http://127.0.0.1:4318")
    /// ```
    ///
    /// The requests' spans continue the client's W3C trace context (`traceparent`,
    /// `tracestate`). swift-otel's `OTEL_*` environment variables apply as they document (an
    /// `OTEL_EXPORTER_OTLP_ENDPOINT` wins over `endpoint`).
    /// - Parameters:
    ///   - endpoint: the collector's OTLP/HTTP base URL (`/v1/traces` and `/v1/metrics` are
    ///     added); swift-otel's default (`http://localhost:4318`) when `nil`.
    ///   - serviceName: the resource's `service.name` (the app's title by default).
    ///   - samplingRatio: the share of new traces recorded, 0 to 1 (a trace the client
    ///     started keeps the client's decision).
    ///   - spanProcessing: where swift-otel's tracer, span processor and exporter run. On
    ///     ``ServicePlacement/eventLoop`` (the default) a span started or ended by a handler
    ///     is queued on the handler's own thread: swift-otel hands every span through an
    ///     `AsyncStream`, and on Swift's global executor each one woke another thread
    ///     (docs/benchmarks.md, "What telemetry costs"). The batches are encoded and sent from
    ///     that loop too; ``ServicePlacement/globalExecutor`` keeps all of it off the loops.
    ///   - configure: changes to swift-otel's configuration (export intervals, headers...);
    ///     a signal it turns off (`metrics.enabled = false`) is not measured.
    /// - Throws: swift-otel's configuration errors.
    public func openTelemetry(
        endpoint: String? = nil, serviceName: String? = nil, samplingRatio: Double = 1.0,
        spanProcessing: ServicePlacement = .eventLoop,
        configure: (inout OTel.Configuration) -> Void = { _ in }
    ) throws {
        var configuration = OTel.Configuration.default
        configuration.serviceName = serviceName ?? self.title
        // Apus writes its log lines with the app's logger; they carry the ids (below).
        configuration.logs.enabled = false
        if let endpoint {
            let base = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
            configuration.traces.otlpExporter.endpoint = base + "/v1/traces"
            configuration.metrics.otlpExporter.endpoint = base + "/v1/metrics"
        }
        if let sampler = OTel.Configuration.TracesConfiguration.SamplerConfiguration.parentBasedTraceIDRatio(
            ratio: min(1, max(0, samplingRatio)))
        {
            configuration.traces.sampler = sampler
        }
        configure(&configuration)
        var telemetry = Telemetry(logMetadata: OTel.makeLoggingMetadataProvider())
        // A signal turned off in `configure` is not measured at all (not measured into a no-op).
        if configuration.metrics.enabled {
            let metrics = try OTel.makeMetricsBackend(configuration: configuration)
            telemetry.metrics = metrics.factory
            self.addService(metrics.service)
        }
        if configuration.traces.enabled {
            let tracing = try OTel.makeTracingBackend(configuration: configuration)
            telemetry.tracer = tracing.factory
            self.addService(tracing.service, placement: spanProcessing)
        }
        self.telemetry = telemetry
    }
}
