import Apus
import ApusTesting
import Foundation
import Metrics
import MetricsTestKit
import NIOConcurrencyHelpers
import NIOCore
import Testing

/// The metrics of ``Telemetry`` over real sockets, values checked: OpenTelemetry's HTTP server
/// metrics and what only Apus measures (pool, loops, background tasks, WebSockets, limits).
@Suite("Metrics", .timeLimit(.minutes(1)))
struct MetricsTests {
    struct Item: Codable, Sendable, Equatable {
        var name: String
    }

    /// An app whose metrics go to the returned `TestMetrics`.
    static func measuredApp(_ configure: (inout ServerConfiguration) -> Void = { _ in }) -> (App, TestMetrics) {
        let metrics = TestMetrics()
        let app = makeApp(configure)
        app.telemetry = Telemetry(metrics: metrics)
        return (app, metrics)
    }

    static func dimensions(_ method: String, route: String?, status: Int) -> [(String, String)] {
        var dimensions = [("http.request.method", method), ("url.scheme", "http")]
        if let route { dimensions.append(("http.route", route)) }
        dimensions.append(("http.response.status_code", String(status)))
        if status >= 500 { dimensions.append(("error.type", String(status))) }
        return dimensions
    }

    @Test("each request is timed once under its route's template, with its status, method and body sizes")
    func httpServerMetrics() async throws {
        let (app, metrics) = Self.measuredApp()
        app.get("/items/{item_id}", Path<Int>("item_id")) { id async in Item(name: "item \(id)") }
        app.post("/items", Body<Item>()) { item in item }
        app.get("/boom") { () async throws -> String in throw CancellationError() }
        try await TestClient.run(app, mode: .live) { client async throws in
            let first = try await client.get("/items/1")
            #expect(first.status == .ok)
            #expect(first.text == #"{"name":"item 1"}"#)
            _ = try await client.get("/items/22")
            let posted = try await client.post("/items", json: #"{"name":"pen"}"#)
            #expect(posted.status == .ok)
            #expect(try await client.post("/items", json: #"{"nome":"pen"}"#).status == .unprocessableEntity)
            #expect(try await client.get("/nowhere/1").status == .notFound)
            #expect(try await client.get("/boom").status == .internalServerError)
            #expect(try await client.request(.PROPFIND, "/items/1").status == .methodNotAllowed)
        }
        let label = "http.server.request.duration"
        let gets = try metrics.expectTimer(label, Self.dimensions("GET", route: "/items/{item_id}", status: 200))
        #expect(gets.values.count == 2)
        #expect(gets.values.allSatisfy { $0 > 0 && $0 < 5_000_000_000 })
        #expect(try metrics.expectTimer(label, Self.dimensions("POST", route: "/items", status: 200)).values.count == 1)
        #expect(try metrics.expectTimer(label, Self.dimensions("POST", route: "/items", status: 422)).values.count == 1)
        // No route matched: no `http.route`, never the raw path.
        #expect(try metrics.expectTimer(label, Self.dimensions("GET", route: nil, status: 404)).values.count == 1)
        #expect(try metrics.expectTimer(label, Self.dimensions("GET", route: "/boom", status: 500)).values.count == 1)
        // A made-up method is `_OTHER`, so a client cannot make a series per method.
        #expect(try metrics.expectTimer(label, Self.dimensions("_OTHER", route: nil, status: 405)).values.count == 1)
        let requestTimers = metrics.timers.filter { $0.label == label }
        #expect(requestTimers.count == 6)
        #expect(!requestTimers.contains { timer in timer.dimensions.contains { $0.1.contains("/items/1") || $0.1 == "/nowhere/1" } })

        let requestSizes = try metrics.expectRecorder(
            "http.server.request.body.size", Self.dimensions("POST", route: "/items", status: 200))
        #expect(requestSizes.values == [14])
        let responseSizes = try metrics.expectRecorder(
            "http.server.response.body.size", Self.dimensions("GET", route: "/items/{item_id}", status: 200))
        #expect(responseSizes.values == [17, 18])

        let active = try metrics.expectMeter("http.server.active_requests", [("http.request.method", "GET"), ("url.scheme", "http")])
        #expect(active.values.max() == 1)
        #expect(active.lastValue == 0)
    }

    @Test("the blocking pool reports busy threads, its queue, the time waited in it and the requests shed with 503")
    func blockingPoolMetrics() async throws {
        let (app, metrics) = Self.measuredApp {
            $0.blockingThreads = 1
            $0.blockingQueueLimit = 1
        }
        let started = NIOLockedValueBox(0)
        let release = NIOLockedValueBox(false)
        app.get("/slow") { () -> String in
            started.withLockedValue { $0 += 1 }
            while !release.withLockedValue({ $0 }) { usleep(1_000) }
            return "done"
        }
        try await TestClient.run(app, mode: .live) { client async throws in
            async let first = client.get("/slow")
            try await eventually { started.withLockedValue { $0 } == 1 }
            async let second = client.get("/slow")  // waits in the queue
            try await eventually { (try? metrics.expectMeter("apus.blocking_pool.queue.length").lastValue) == 1 }
            let shed = try await client.get("/slow")  // the queue is full
            #expect(shed.status == .serviceUnavailable)
            #expect(shed.headers["retry-after"] == ["1"])
            try await Task.sleep(for: .milliseconds(50))
            release.withLockedValue { $0 = true }
            #expect(try await first.status == .ok)
            #expect(try await second.status == .ok)
        }
        #expect(try metrics.expectCounter("apus.blocking_pool.shed").totalValue == 1)
        let waits = try metrics.expectTimer("apus.blocking_pool.queue.wait").values
        #expect(waits.count == 2)
        // The second job waited for the first to finish: at least the 50 ms the test held it.
        #expect((waits.max() ?? 0) >= 50_000_000)
        let busy = try metrics.expectMeter("apus.blocking_pool.threads.busy")
        #expect(busy.values.max() == 1)
        #expect(busy.lastValue == 0)
        #expect(try metrics.expectMeter("apus.blocking_pool.queue.length").lastValue == 0)
    }

    @Test("a stall is counted under the route that blocked its event loop; the loop's lag is timed")
    func eventLoopMetrics() async throws {
        let (app, metrics) = Self.measuredApp { $0.stallThreshold = .milliseconds(100) }
        app.get("/blocking-mistake") { () async -> String in
            usleep(400_000)  // blocks the loop: what the watchdog exists for
            return "done"
        }
        try await TestClient.run(app, mode: .live) { client async throws in
            #expect(try await client.get("/blocking-mistake").status == .ok)
            try await eventually {
                (try? metrics.expectCounter("apus.event_loop.stalls", [("http.request.method", "GET"), ("http.route", "/blocking-mistake")]))?
                    .totalValue == 1
            }
            // The heartbeat that waited behind the handler was at least 200 ms late.
            try await eventually {
                let lags = (try? metrics.expectTimer("apus.event_loop.lag").values) ?? []
                return (lags.max() ?? 0) >= 200_000_000
            }
        }
    }

    @Test("background tasks are counted when queued, while running, when they fail")
    func backgroundTaskMetrics() async throws {
        let (app, metrics) = Self.measuredApp()
        let ran = NIOLockedValueBox(0)
        app.post("/work", .backgroundTasks) { tasks async in
            tasks.add { ran.withLockedValue { $0 += 1 } }
            tasks.add { () async throws in
                ran.withLockedValue { $0 += 1 }
                throw CancellationError()
            }
            return "queued"
        }
        try await TestClient.run(app, mode: .live) { client async throws in
            #expect(try await client.post("/work", body: nil).text == #""queued""#)
            #expect(try await client.post("/work", body: nil).status == .ok)
            try await eventually { ran.withLockedValue { $0 } == 4 }
            try await eventually { (try? metrics.expectMeter("apus.background_tasks.running").lastValue) == 0 }
        }
        #expect(try metrics.expectCounter("apus.background_tasks.queued").totalValue == 4)
        #expect(try metrics.expectCounter("apus.background_tasks.failed").totalValue == 2)
        #expect(try metrics.expectMeter("apus.background_tasks.running").values.max() == 1)
        // None was pending when the app shut down.
        #expect(try metrics.expectCounter("apus.background_tasks.drained").totalValue == 0)
    }

    @Test("a background task still running when a graceful shutdown begins is counted drained")
    func drainedBackgroundTasks() async throws {
        let (app, metrics) = Self.measuredApp()
        let started = NIOLockedValueBox(false)
        let release = NIOLockedValueBox(false)
        app.post("/work", .backgroundTasks) { tasks async in
            tasks.add { () async in
                started.withLockedValue { $0 = true }
                while !release.withLockedValue({ $0 }) { try? await Task.sleep(for: .milliseconds(2)) }
            }
            return "queued"
        }
        let client = try await TestClient(app, mode: .live)
        #expect(try await client.post("/work", body: nil).status == .ok)
        try await eventually { started.withLockedValue { $0 } }
        let shutdown = Task { await client.shutdown() }
        // The shutdown has begun once the listening socket is gone; only then may the task end.
        var refused = false
        while !refused {
            do {
                let connection = try await client.rawConnection()
                await connection.close()
                try await Task.sleep(for: .milliseconds(2))
            } catch {
                refused = true
            }
        }
        release.withLockedValue { $0 = true }
        await shutdown.value
        #expect(try metrics.expectCounter("apus.background_tasks.drained").totalValue == 1)
        #expect(try metrics.expectCounter("apus.background_tasks.failed").totalValue == 0)
    }

    @Test("WebSockets: open sockets, messages each way, closes by code")
    func webSocketMetrics() async throws {
        let (app, metrics) = Self.measuredApp()
        app.webSocket("/echo") { ws in
            try await ws.accept()
            for try await message in ws.messages { try await ws.send(message) }
        }
        app.webSocket("/bye") { ws in
            try await ws.accept()
            ws.close(code: .policyViolation)
        }
        try await TestClient.run(app, mode: .live) { client async throws in
            try await client.webSocket("/echo") { session in
                try await session.send(text: "one")
                #expect(try await session.receiveText() == "one")
                try await session.send(text: "two")
                #expect(try await session.receiveText() == "two")
                #expect(try metrics.expectMeter("apus.websocket.connections", [("http.route", "/echo")]).lastValue == 1)
                await session.close(code: .goingAway)
            }
            try await client.webSocket("/bye") { session in
                await #expect(throws: WebSocketDisconnect.self) { try await session.receive() }
            }
            try await eventually { (try? metrics.expectMeter("apus.websocket.connections", [("http.route", "/echo")]).lastValue) == 0 }
            try await eventually { (try? metrics.expectMeter("apus.websocket.connections", [("http.route", "/bye")]).lastValue) == 0 }
        }
        let echo = [("http.route", "/echo")]
        #expect(try metrics.expectCounter("apus.websocket.messages", echo + [("direction", "received")]).totalValue == 2)
        #expect(try metrics.expectCounter("apus.websocket.messages", echo + [("direction", "sent")]).totalValue == 2)
        // The client's close code for the socket it closed, the server's for the one the handler closed.
        #expect(try metrics.expectCounter("apus.websocket.closes", echo + [("code", "1001")]).totalValue == 1)
        #expect(try metrics.expectCounter("apus.websocket.closes", [("http.route", "/bye"), ("code", "1008")]).totalValue == 1)
    }

    @Test("a dependency's concurrency limit reports permits in use, waiters and refusals")
    func concurrencyLimitMetrics() async throws {
        let (app, metrics) = Self.measuredApp()
        let release = NIOLockedValueBox(false)
        let connection = Dependency(name: "connection") { () async -> Int in
            while !release.withLockedValue({ $0 }) { try? await Task.sleep(for: .milliseconds(2)) }
            return 1
        }
        app.get("/query", Depends(connection, maxConcurrency: 1, maxWait: .milliseconds(100))) { value async in value }
        let dimensions = [("dependency", "connection")]
        try await TestClient.run(app, mode: .live) { client async throws in
            async let holder = client.get("/query")
            try await eventually { (try? metrics.expectMeter("apus.dependency.concurrency.in_use", dimensions).lastValue) == 1 }
            let refused = try await client.get("/query")  // waits 100 ms for the permit, then 503
            #expect(refused.status == .serviceUnavailable)
            release.withLockedValue { $0 = true }
            #expect(try await holder.text == "1")
        }
        #expect(try metrics.expectCounter("apus.dependency.concurrency.refused", dimensions).totalValue == 1)
        let waiting = try metrics.expectMeter("apus.dependency.concurrency.waiting", dimensions)
        #expect(waiting.values.max() == 1)
        #expect(waiting.lastValue == 0)
        #expect(try metrics.expectMeter("apus.dependency.concurrency.in_use", dimensions).lastValue == 0)
    }

    @Test("telemetry is off by default: the pipeline has no instruments")
    func offByDefault() async throws {
        let app = makeApp()
        #expect(app.telemetry.metrics == nil && app.telemetry.tracer == nil)
        let runtime = try app.makeRuntime()
        #expect(runtime.pipeline.instruments == nil)
        try await runtime.group.shutdownGracefully()
        #expect(Instruments(Telemetry(metrics: TestMetrics())) != nil)
    }
}
