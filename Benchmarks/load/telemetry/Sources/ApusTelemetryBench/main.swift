// The harness's five endpoints with Apus's telemetry on. TELEMETRY: `off`, `metrics`
// (Prometheus, `app.metrics(at: "/metrics")`), `tracing` (swift-otel spans exported over
// OTLP/HTTP to OTLP_ENDPOINT, sampled at TRACE_SAMPLING, default 1; SPANS=requests for the
// server spans only; SPAN_PROCESSING=global for swift-otel's services on the global executor
// instead of the app's event loop) or `all` (both).
import Apus
import ApusOpenTelemetry
import ApusPrometheus
import Foundation
import OTel

let environment = ProcessInfo.processInfo.environment
let mode = environment["TELEMETRY"] ?? "off"
var configuration = ServerConfiguration()
configuration.port = 8080
let app = App(title: "Apus telemetry bench", configuration: configuration)
registerBenchEndpoints(on: app)

if mode == "metrics" || mode == "all" {
    app.metrics(at: "/metrics")
}
if mode == "tracing" || mode == "all" {
    let metrics = app.telemetry.metrics
    try app.openTelemetry(
        endpoint: environment["OTLP_ENDPOINT"] ?? "http://127.0.0.1:4318",
        samplingRatio: environment["TRACE_SAMPLING"].flatMap(Double.init) ?? 1,
        spanProcessing: environment["SPAN_PROCESSING"] == "global" ? .globalExecutor : .eventLoop
    ) { configuration in
        configuration.metrics.enabled = false
        configuration.diagnosticLogLevel = .error
    }
    app.telemetry.metrics = metrics
    if environment["SPANS"] == "requests" { app.telemetry.spans = .requests }
}

do {
    try await app.run()
} catch {
    print("apus: \(error)")
    exit(1)
}
