// The shared harness's Hummingbird 2 contestant (../shared/bench/swift/Sources/HummingbirdServer)
// with Hummingbird's own instrumentation on: MetricsMiddleware on swift-prometheus's factory and
// TracingMiddleware on swift-otel's tracer (OTLP/HTTP to OTLP_ENDPOINT, sampled at
// TRACE_SAMPLING, default 1), the backends Apus's variants use; INSTRUMENTED=0 leaves both out
// (the shared harness's contestant as it is). Env: PORT (default 8080).

import Foundation
import Hummingbird
import Metrics
import NIOPosix
import OTel
import Prometheus
import ServiceLifecycle
import Tracing

struct Message: ResponseEncodable {
    let message: String
}

struct ItemQueryResponse: ResponseEncodable {
    let itemID: Int
    let q: String?

    enum CodingKeys: String, CodingKey {
        case itemID = "item_id"
        case q
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(itemID, forKey: .itemID)
        try c.encode(q, forKey: .q)  // explicit null when absent
    }
}

struct ItemIn: Decodable {
    let name: String
    let price: Double
    let tags: [String]
}

struct ItemOut: ResponseEncodable {
    let id: Int
    let name: String
    let price: Double
    let tags: [String]
}

let port = Int(ProcessInfo.processInfo.environment["PORT"] ?? "") ?? 8080

let environment = ProcessInfo.processInfo.environment
let instrumented = environment["INSTRUMENTED"] != "0"
MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: PrometheusCollectorRegistry()))
var otel = OTel.Configuration.default
otel.serviceName = "hummingbird-telemetry-bench"
otel.metrics.enabled = false
otel.logs.enabled = false
otel.diagnosticLogLevel = .error
otel.traces.otlpExporter.endpoint = (environment["OTLP_ENDPOINT"] ?? "http://127.0.0.1:4318") + "/v1/traces"
if let sampler = OTel.Configuration.TracesConfiguration.SamplerConfiguration.parentBasedTraceIDRatio(
    ratio: environment["TRACE_SAMPLING"].flatMap(Double.init) ?? 1)
{
    otel.traces.sampler = sampler
}
let tracing = try OTel.makeTracingBackend(configuration: otel)
InstrumentationSystem.bootstrap(tracing.factory)

let router = Router()
if instrumented {
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: TracingMiddleware())
}

router.get("plaintext") { _, _ -> String in
    "Hello, World!"
}

router.get("json") { _, _ -> Message in
    Message(message: "Hello, World!")
}

router.get("items/:id") { request, context -> ItemQueryResponse in
    guard let id = context.parameters.get("id", as: Int.self) else {
        throw HTTPError(.unprocessableContent, message: "item_id must be an integer")
    }
    return ItemQueryResponse(itemID: id, q: request.uri.queryParameters.get("q"))
}

router.post("items") { request, context -> ItemOut in
    let item: ItemIn
    do {
        item = try await request.decode(as: ItemIn.self, context: context)
    } catch {
        throw HTTPError(.unprocessableContent, message: "invalid item")
    }
    return ItemOut(id: 1, name: item.name, price: item.price, tags: item.tags)
}

router.get("blocking") { _, _ -> String in
    try await NIOThreadPool.singleton.runIfActive {
        usleep(10_000)
        return "ok"
    }
}

let app = Application(
    router: router,
    configuration: .init(address: .hostname("127.0.0.1", port: port))
)
let group = ServiceGroup(
    configuration: .init(services: [.init(service: tracing.service), .init(service: app)], gracefulShutdownSignals: [.sigterm], logger: app.logger))
try await group.run()
