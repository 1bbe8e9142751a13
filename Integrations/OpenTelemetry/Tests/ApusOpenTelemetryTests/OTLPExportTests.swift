import Apus
import ApusOpenTelemetry
import ApusTesting
import Foundation
import Logging
import OTel
import ServiceLifecycle
import Testing

/// `app.openTelemetry(endpoint:)` against a real OTLP/HTTP receiver (Tests/Tools/otlp_receiver.py,
/// opentelemetry-proto decoding swift-otel's protobuf exports), for a known sequence of requests.
@Suite("OpenTelemetry export", .timeLimit(.minutes(2)), .enabled(if: TestTools.enabled, TestTools.skipNote))
struct OTLPExportTests {
    struct Received: Decodable {
        struct Span: Decodable {
            var name: String
            var kind: String
            var traceId: String
            var spanId: String
            var parentSpanId: String
            var attributes: [String: AttributeValue]
            var status: Int
        }

        struct Metric: Decodable {
            var name: String
            var type: String
            var points: [Point]
        }

        struct Point: Decodable {
            var attributes: [String: AttributeValue]
            var count: Int?
            var sum: Double?
            var value: Double?
        }

        var spans: [Span]
        var metrics: [Metric]
        var resources: [[String: AttributeValue]]
    }

    /// A string or a number, as the receiver decoded it.
    enum AttributeValue: Decodable, Equatable {
        case string(String)
        case number(Double)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Double.self) { self = .number(number) } else { self = .string(try container.decode(String.self)) }
        }
    }

    /// The receiver on a port it picked itself.
    static func startReceiver() async throws -> (process: Process, port: Int) {
        try await ServingProcess.launch(
            URL(fileURLWithPath: TestTools.python), arguments: [TestTools.script("otlp_receiver.py")], readsStandardOutput: true
        ) { output in
            output.range(of: "listening on ").flatMap { Int(output[$0.upperBound...].prefix { $0.isNumber }) }
        }
    }

    static func received(port: Int) async throws -> Received {
        let (status, output) = try await TestTools.run(
            TestTools.python,
            ["-c", "import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode())",
             "http://127.0.0.1:\(port)/received"])
        guard status == 0 else { throw ToolFailure("could not read the receiver: \(output)") }
        return try JSONDecoder().decode(Received.self, from: Data(output.utf8))
    }

    @Test("spans with their parents and attributes, and the request metrics, reach the collector; a graceful shutdown flushes them")
    func exportsSpansAndMetrics() async throws {
        let (receiver, port) = try await Self.startReceiver()
        defer {
            // SIGKILL: a child of the test process may inherit a mask that blocks SIGTERM.
            kill(receiver.processIdentifier, SIGKILL)
            receiver.waitUntilExit()
        }
        var configuration = ServerConfiguration()
        configuration.eventLoopThreads = 1
        let app = App(title: "Orders", configuration: configuration, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        try app.openTelemetry(endpoint: "http://127.0.0.1:\(port)") { configuration in
            configuration.metrics.exportInterval = .seconds(30)  // only the flush at shutdown: one export, the totals
            configuration.diagnosticLogLevel = .error
        }
        let customer = Dependency(name: "current_customer", Header<String>("x-customer")) { name async in name }
        app.get("/orders/{order_id}", Path<Int>("order_id"), Depends(customer), .backgroundTasks) { id, customer, tasks async in
            tasks.add { () async in }
            return "order \(id) of \(customer)"
        }
        // The exporters run as services of the app; `app.run()` does the same with the app's
        // service. The client first: the app's event loop exists when the span processing
        // (placed on it by default) starts.
        let client = try await TestClient(app, mode: .live)
        let group = ServiceGroup(services: app.services, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        let exporting = Task { try await group.run() }
        let traceID = "0af7651916cd43dd8448eb211c80319c"
        let traced: HTTPHeaders = ["traceparent": "00-\(traceID)-b7ad6b7169203331-01", "x-customer": "ada"]
        #expect(try await client.get("/orders/1", headers: traced).text == #""order 1 of ada""#)
        #expect(try await client.get("/orders/2", headers: traced).status == .ok)
        #expect(try await client.get("/orders/3", headers: ["x-customer": "bob"]).status == .ok)
        #expect(try await client.get("/orders/x", headers: ["x-customer": "bob"]).status == .unprocessableEntity)
        await client.shutdown()
        // The app stopped (its requests and background tasks done): the exporters flush from
        // its loop, kept running for them, and stop.
        await group.triggerGracefulShutdown()
        try await exporting.value
        let received = try await Self.received(port: port)

        #expect(received.resources.allSatisfy { $0["service.name"] == .string("Orders") })
        let servers = received.spans.filter { $0.kind == "SPAN_KIND_SERVER" }
        #expect(servers.count == 4)
        #expect(servers.allSatisfy { $0.name == "GET /orders/{order_id}" && $0.attributes["http.route"] == .string("/orders/{order_id}") })
        let continued = servers.filter { $0.traceId == traceID }
        #expect(continued.count == 2)
        #expect(continued.allSatisfy { $0.parentSpanId == "b7ad6b7169203331" })
        let fresh = servers.filter { $0.traceId != traceID }
        #expect(fresh.count == 2 && fresh.allSatisfy { $0.parentSpanId.isEmpty })
        #expect(servers.compactMap { $0.attributes["http.response.status_code"] }.sorted { "\($0)" < "\($1)" } == [.number(200), .number(200), .number(200), .number(422)])
        for server in servers.filter({ $0.attributes["http.response.status_code"] == .number(200) }) {
            let children = received.spans.filter { $0.parentSpanId == server.spanId }
            #expect(Set(children.map(\.name)) == ["dependency current_customer", "handler", "encode response", "background task"])
            #expect(children.allSatisfy { $0.traceId == server.traceId && $0.kind == "SPAN_KIND_INTERNAL" })
        }
        // The 422's server span has no children: its parameters were invalid, nothing ran.
        let invalid = try #require(servers.first { $0.attributes["http.response.status_code"] == .number(422) })
        #expect(!received.spans.contains { $0.parentSpanId == invalid.spanId })

        let duration = try #require(received.metrics.last { $0.name == "http.server.request.duration" }, "\(received.metrics.map(\.name))")
        #expect(duration.type == "histogram")
        let ok = duration.points.first { $0.attributes["http.response.status_code"] == .string("200") }
        #expect(ok?.count == 3)
        #expect(ok?.attributes["http.route"] == .string("/orders/{order_id}"))
        #expect(duration.points.first { $0.attributes["http.response.status_code"] == .string("422") }?.count == 1)
        let queued = received.metrics.last { $0.name == "apus.background_tasks.queued" }
        #expect(queued?.points.first?.value == 3)
    }
}
