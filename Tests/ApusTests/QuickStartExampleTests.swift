import Apus
import ApusTesting
import Foundation
import QuickStartApp
import Testing

@Suite("Quick start example", .timeLimit(.minutes(1)))
struct QuickStartExampleTests {
    @Test("the example's form, upload, stream, events and static folder work")
    func newerRoutes() async throws {
        let app = makeQuickStartApp()
        try await TestClient.run(app) { client async throws in
            let form = try await client.request(
                .POST, "/contact", headers: ["content-type": "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "name=Ann&message=Hello%20there"))
            #expect(form.text == #"{"received":"Ann: Hello there"}"#)
            let upload = try await client.request(
                .POST, "/files", headers: ["content-type": "multipart/form-data; boundary=b"],
                body: ByteBuffer(
                    string: "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"n.txt\"\r\nContent-Type: text/plain\r\n\r\nabc\r\n--b--\r\n"))
            #expect(upload.text == #"{"filename":"n.txt","content_type":"text/plain","size":3,"checksum":96354}"#)
            #expect(try await client.get("/count?to=3").text == "1\n2\n3\n")
            let clock = try await client.get("/clock?ticks=1")
            #expect(clock.header("content-type") == "text/event-stream; charset=utf-8")
            #expect(clock.text.hasPrefix("event: tick\nid: 1\ndata: "))
            let page = try await client.get("/static/")
            #expect(page.header("content-type") == "text/html; charset=utf-8")
            #expect(page.text.contains("<h1>Apus quick start</h1>"))
            #expect(try await client.get("/static/style.css").status == .ok)
            let metrics = try await client.get("/metrics")
            #expect(metrics.header("content-type") == "text/plain; version=0.0.4; charset=utf-8")
            #expect(metrics.text.contains(#"http_server_request_duration_seconds_count{http_request_method="GET",url_scheme="http",http_route="/count",http_response_status_code="200"} 1"#), "\(metrics.text)")
        }
    }

    @Test("items: created with defaults, patched field by field (absent kept, null refused where a field cannot be cleared), 404 when unknown")
    func createAndPatch() async throws {
        try await TestClient.run(makeQuickStartApp()) { client async throws in
            let created = try await client.post("/items", json: #"{"name":"Lamp","price":9.5}"#)
            #expect(created.status == .created)
            #expect(created.headers == ["content-type": "application/json", "content-length": "44"])
            #expect(created.text == #"{"id":1,"name":"Lamp","price":9.5,"tags":[]}"#)
            let patched = try await client.patch("/items/1", json: #"{"price":12,"tags":["desk"]}"#)
            #expect(patched.status == .ok)
            #expect(patched.text == #"{"id":1,"name":"Lamp","price":12.0,"tags":["desk"]}"#)
            let invalid = try await client.patch("/items/1", json: #"{"name":"","price":null}"#)
            #expect(invalid.status == .unprocessableEntity)
            #expect(
                invalid.text
                    == #"{"detail":[{"type":"string_too_short","loc":["body","name"],"msg":"String should have at least 1 character","input":"","ctx":{"min_length":1}},{"type":"float_type","loc":["body","price"],"msg":"Input should be a valid number","input":null}]}"#
            )
            #expect(try await client.get("/items/1").status == .ok)
            let unknown = try await client.patch("/items/7", json: "{}")
            #expect(unknown.status == .notFound)
            #expect(unknown.text == #"{"detail":"Item not found"}"#)
        }
    }
}
