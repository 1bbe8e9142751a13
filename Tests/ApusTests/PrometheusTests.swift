import Apus
import ApusPrometheus
import ApusTesting
import Foundation
import Prometheus
import Testing

/// `app.metrics(at:)` scraped over a socket by prometheus_client's text-format parser.
@Suite("Prometheus endpoint", .timeLimit(.minutes(1)), .enabled(if: TestTools.enabled, TestTools.skipNote))
struct PrometheusTests {
    struct Scrape: Decodable {
        struct Family: Decodable {
            var name: String
            var type: String
            var samples: [Sample]
        }

        struct Sample: Decodable {
            var name: String
            var labels: [String: String]
            var value: Double
        }

        var content_type: String
        var families: [Family]

        func family(_ name: String) -> Family? { self.families.first { $0.name == name } }

        func value(_ sample: String, _ labels: [String: String]) -> Double? {
            self.families.flatMap(\.samples).first { found in
                found.name == sample && labels.allSatisfy { key, value in found.labels[key] == value }
            }?.value
        }
    }

    @Test("the metrics are served in Prometheus's text format with Prometheus's names, the values of the requests made, and left out of the document")
    func scrapedByARealParser() async throws {
        let app = makeApp { $0.blockingThreads = 2 }
        let registry = app.metrics(at: "/metrics")
        app.get("/items/{item_id}", Path<Int>("item_id")) { id async in id }
        app.post("/items", Body<[String: Int]>()) { item in item }
        app.get("/work", .backgroundTasks) { tasks async in
            tasks.add { () async throws in throw CancellationError() }
            return "ok"
        }
        try await TestClient.run(app, mode: .live) { client async throws in
            _ = try await client.get("/items/1")
            _ = try await client.get("/items/2")
            _ = try await client.get("/items/x")
            _ = try await client.post("/items", json: #"{"a":1}"#)
            _ = try await client.get("/work")
            _ = try await client.get("/nowhere")
            // The background task runs after its response.
            try await eventually { registry.emitToString().contains("apus_background_tasks_failed_total 1") }
            let port = try #require(client.port)
            let (status, output) = try await TestTools.run(
                TestTools.python, [TestTools.script("scrape_prometheus.py"), "http://127.0.0.1:\(port)/metrics"])
            #expect(status == 0, "\(output)")
            let scrape = try JSONDecoder().decode(Scrape.self, from: Data(output.utf8))
            #expect(scrape.content_type == "text/plain; version=0.0.4; charset=utf-8")
            let duration = try #require(scrape.family("http_server_request_duration_seconds"), "\(output)")
            #expect(duration.type == "histogram")
            let items = ["http_request_method": "GET", "http_route": "/items/{item_id}", "url_scheme": "http"]
            #expect(scrape.value("http_server_request_duration_seconds_count", items.merging(["http_response_status_code": "200"]) { $1 }) == 2)
            #expect(scrape.value("http_server_request_duration_seconds_count", items.merging(["http_response_status_code": "422"]) { $1 }) == 1)
            #expect(scrape.value("http_server_request_duration_seconds_bucket", items.merging(["http_response_status_code": "200", "le": "+Inf"]) { $1 }) == 2)
            #expect(scrape.value("http_server_request_duration_seconds_count", ["http_response_status_code": "404"]) == 1)
            // The unmatched request's series has no route label: the raw path is never one.
            #expect(!duration.samples.contains { $0.labels["http_route"] == "/nowhere" || $0.labels["http_route"] == "/items/1" })
            #expect(scrape.value("http_server_request_body_size_bytes_sum", ["http_request_method": "POST"]) == 7)
            #expect(scrape.family("http_server_request_body_size_bytes")?.type == "histogram")
            #expect(scrape.family("http_server_active_requests")?.type == "gauge")
            // This scrape is the request in flight.
            #expect(scrape.value("http_server_active_requests", ["http_request_method": "GET"]) == 1)
            #expect(scrape.family("apus_background_tasks_queued")?.type == "counter")
            #expect(scrape.value("apus_background_tasks_queued_total", [:]) == 1)
            #expect(scrape.value("apus_background_tasks_failed_total", [:]) == 1)
            #expect(scrape.value("apus_blocking_pool_queue_wait_seconds_count", [:]) == 1)
            #expect(scrape.value("apus_blocking_pool_shed_total", [:]) == 0)
            let document = try await client.get("/openapi.json").text
            #expect(!document.contains("/metrics"))
            #expect(document.contains("/items/{item_id}"))
        }
    }
}
