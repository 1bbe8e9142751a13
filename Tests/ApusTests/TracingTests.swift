import Apus
import ApusTesting
import Foundation
import InMemoryTracing
import Logging
import NIOHTTP1
import Testing
import Tracing

/// The spans of ``Telemetry``'s tracer over real sockets: a server span per request that
/// continues the client's trace, and its children.
@Suite("Tracing", .timeLimit(.minutes(1)))
struct TracingTests {
    /// What a handler saw as its current span.
    struct SeenSpan: Codable, Sendable {
        var traceID: String?
        var spanID: String?
    }

    static func seen() -> SeenSpan {
        let span = ServiceContext.current?.inMemorySpanContext
        return SeenSpan(traceID: span?.traceID, spanID: span?.spanID)
    }

    /// The headers InMemoryTracer propagates a context with (a W3C tracer reads `traceparent`).
    static let propagated: HTTPHeaders = [InMemoryTracer.traceIDKey: "client-trace", InMemoryTracer.spanIDKey: "client-span"]

    @Test("the server span continues the client's trace; the dependency, handler, encoding and background task are its children")
    func spanTree() async throws {
        let tracer = InMemoryTracer()
        let app = makeApp()
        app.telemetry = Telemetry(tracer: tracer)
        let user = Dependency(name: "current_user", Header<String>("x-user")) { name async in name }
        app.get("/orders/{order_id}", Path<Int>("order_id"), Depends(user), .backgroundTasks) { _, _, tasks async in
            tasks.add { () async in }
            return Self.seen()
        }
        var headers = Self.propagated
        headers.add(name: "x-user", value: "ada")
        headers.add(name: "user-agent", value: "tracing-test")
        let response = try await TestClient.run(app, mode: .live) { client async throws in
            let response = try await client.get("/orders/7?full=1", headers: headers)
            try await eventually { tracer.finishedSpans.count == 5 }
            return response
        }
        #expect(response.status == .ok)
        let spans = tracer.finishedSpans
        let server = try #require(spans.first { $0.kind == .server })
        #expect(server.operationName == "GET /orders/{order_id}")
        #expect(server.traceID == "client-trace")
        #expect(server.parentSpanID == "client-span")
        #expect(server.attributes["http.request.method"]?.toSpanAttribute() == SpanAttribute.string("GET"))
        #expect(server.attributes["http.route"]?.toSpanAttribute() == SpanAttribute.string("/orders/{order_id}"))
        #expect(server.attributes["url.path"]?.toSpanAttribute() == SpanAttribute.string("/orders/7"))
        #expect(server.attributes["url.query"]?.toSpanAttribute() == SpanAttribute.string("full=1"))
        #expect(server.attributes["user_agent.original"]?.toSpanAttribute() == SpanAttribute.string("tracing-test"))
        #expect(server.attributes["http.response.status_code"]?.toSpanAttribute() == SpanAttribute.int64(200))
        #expect(server.status == nil)
        let children = spans.filter { $0.kind != .server }
        #expect(Set(children.map(\.operationName)) == ["dependency current_user", "handler", "encode response", "background task"])
        #expect(children.allSatisfy { $0.traceID == "client-trace" && $0.parentSpanID == server.spanID && $0.kind == .internal })
        // The handler's `ServiceContext.current` is its span's: an outgoing call made there joins the trace.
        let handler = try #require(children.first { $0.operationName == "handler" })
        let seen = try JSONDecoder().decode(SeenSpan.self, from: Data(response.text.utf8))
        #expect(seen.traceID == "client-trace")
        #expect(seen.spanID == handler.spanID)
    }

    @Test("a sync handler and a sync dependency on the pool see the request's trace")
    func syncWorkOnThePool() async throws {
        let tracer = InMemoryTracer()
        let app = makeApp()
        app.telemetry = Telemetry(tracer: tracer)
        let traced = Dependency(name: "seen_by_dependency") { () -> SeenSpan in Self.seen() }
        app.get("/plain") { () -> SeenSpan in Self.seen() }
        app.get("/with-dependency", Depends(traced)) { dependency -> [SeenSpan] in [dependency, Self.seen()] }
        try await TestClient.run(app, mode: .live) { client async throws in
            let plain = try JSONDecoder().decode(SeenSpan.self, from: Data(try await client.get("/plain", headers: Self.propagated).text.utf8))
            #expect(plain.traceID == "client-trace")
            let both = try JSONDecoder().decode(
                [SeenSpan].self, from: Data(try await client.get("/with-dependency", headers: Self.propagated).text.utf8))
            #expect(both.map(\.traceID) == ["client-trace", "client-trace"])
            try await eventually { tracer.finishedSpans.count == 3 + 4 }
            let spans = tracer.finishedSpans
            let dependency = try #require(spans.first { $0.operationName == "dependency seen_by_dependency" })
            let handlers = spans.filter { $0.operationName == "handler" }
            #expect(both.map(\.spanID) == [dependency.spanID, handlers.last?.spanID])
            #expect(plain.spanID == handlers.first?.spanID)
        }
    }

    @Test("a handler's error is recorded on its span; a 5xx marks the server span an error, a 4xx does not")
    func errors() async throws {
        let tracer = InMemoryTracer()
        let app = makeApp()
        app.telemetry = Telemetry(tracer: tracer)
        struct Broken: Error {}
        app.get("/broken") { () async throws -> String in throw Broken() }
        app.get("/missing") { () async throws -> String in throw HTTPError(.notFound, detail: "no such item") }
        try await TestClient.run(app, mode: .live) { client async throws in
            #expect(try await client.get("/broken").status == .internalServerError)
            #expect(try await client.get("/missing").status == .notFound)
            #expect(try await client.get("/nowhere").status == .notFound)
            try await eventually { tracer.finishedSpans.filter { $0.kind == .server }.count == 3 }
        }
        let spans = tracer.finishedSpans
        let broken = try #require(spans.first { $0.operationName == "GET /broken" })
        #expect(broken.status?.code == .error)
        #expect(broken.attributes["error.type"]?.toSpanAttribute() == SpanAttribute.string("500"))
        #expect(broken.attributes["http.response.status_code"]?.toSpanAttribute() == SpanAttribute.int64(500))
        let handlers = spans.filter { $0.operationName == "handler" }
        #expect(handlers.count == 2)
        #expect(handlers.allSatisfy { $0.errors.count == 1 })
        let missing = try #require(spans.first { $0.operationName == "GET /missing" })
        #expect(missing.status == nil)
        #expect(missing.attributes["http.response.status_code"]?.toSpanAttribute() == SpanAttribute.int64(404))
        // No route matched: the span is named by the method alone (never the raw path), without `http.route`.
        let unmatched = try #require(spans.first { $0.operationName == "GET" })
        #expect(unmatched.attributes["http.route"]?.toSpanAttribute() == nil)
        #expect(unmatched.attributes["url.path"]?.toSpanAttribute() == SpanAttribute.string("/nowhere"))
        #expect(unmatched.traceID != broken.traceID)
    }

    @Test("the app's log lines carry the current span's ids from the telemetry's metadata provider")
    func logLinesCarryTheTrace() async throws {
        let tracer = InMemoryTracer()
        let logs = CapturingLogHandler()
        let app = makeApp(logger: .capturing(logs))
        let ids = Logger.MetadataProvider {
            guard let span = ServiceContext.current?.inMemorySpanContext else { return [:] }
            return ["trace_id": "\(span.traceID)", "span_id": "\(span.spanID)"]
        }
        app.telemetry = Telemetry(tracer: tracer, logMetadata: ids)
        struct Broken: Error {}
        app.get("/broken") { () async throws -> String in throw Broken() }
        try await TestClient.run(app, mode: .live) { client async throws in
            #expect(try await client.get("/broken", headers: Self.propagated).status == .internalServerError)
        }
        let line = try #require(logs.logged.first { $0.level == .error }, "\(logs.logged)")
        #expect(line.metadata["trace_id"] == "client-trace")
        // Logged while the error was answered, in the request's span.
        let server = try #require(tracer.finishedSpans.first { $0.kind == .server })
        #expect(line.metadata["span_id"].map { "\($0)" } == server.spanID)
    }

    @Test("with spans: .requests a request makes its server span only, its handler still in the span's context")
    func serverSpansOnly() async throws {
        let tracer = InMemoryTracer()
        let app = makeApp()
        app.telemetry = Telemetry(tracer: tracer, spans: .requests)
        let user = Dependency(name: "current_user") { () async in "ada" }
        app.get("/orders", Depends(user), .backgroundTasks) { _, tasks async in
            tasks.add { () async in }
            return Self.seen()
        }
        let response = try await TestClient.run(app, mode: .live) { client async throws in
            try await client.get("/orders", headers: Self.propagated)
        }
        let spans = tracer.finishedSpans
        #expect(spans.map(\.operationName) == ["GET /orders"])
        let seen = try JSONDecoder().decode(SeenSpan.self, from: Data(response.text.utf8))
        #expect(seen.spanID == spans.first?.spanID)
        #expect(seen.traceID == "client-trace")
    }
}
