import Apus
import ApusTesting
import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing

/// An ordered record of what ran, shared by a test's dependencies and handlers.
final class EventLog: Sendable {
    private let events = NIOLockedValueBox<[String]>([])
    func add(_ event: String) { self.events.withLockedValue { $0.append(event) } }
    var all: [String] { self.events.withLockedValue { $0 } }
}

/// Counts calls.
final class Counter: Sendable {
    private let value = NIOLockedValueBox(0)
    @discardableResult func next() -> Int { self.value.withLockedValue { $0 += 1; return $0 } }
    var count: Int { self.value.withLockedValue { $0 } }
}

struct Page: Codable, Sendable, Equatable {
    var skip: Int
    var limit: Int
}

@Suite("Dependencies", .timeLimit(.minutes(1)))
struct DependencyTests {
    @Test("a sub-dependency graph resolves before the handler; a shared dependency runs once per request")
    func graphAndCache() async throws {
        let counter = Counter()
        let database = Dependency(name: "database") { () async in "db#\(counter.next())" }
        let users = Dependency(name: "users", Depends(database)) { db async in "users(\(db))" }
        let items = Dependency(name: "items", Depends(database)) { db async in "items(\(db))" }
        let app = makeApp()
        app.get("/both", Depends(users), Depends(items), Depends(database)) { users, items, db async in
            [users, items, db]
        }
        app.get("/fresh", Depends(database), Depends(database, useCache: false)) { first, second async in [first, second] }
        try await TestClient.run(app) { client async throws in
            let both = try await client.get("/both")
            #expect(both.status == .ok)
            #expect(both.text == #"["users(db#1)","items(db#1)","db#1"]"#)
            #expect(counter.count == 1)
            let again = try await client.get("/both")
            #expect(again.text == #"["users(db#2)","items(db#2)","db#2"]"#)
            let fresh = try await client.get("/fresh")
            #expect(fresh.text == #"["db#3","db#4"]"#)
            #expect(counter.count == 4)
        }
    }

    @Test("sync dependencies run on the blocking pool, async ones on the event loop, each where its closure says")
    func whereDependenciesRun() async throws {
        let sync = Dependency { BlockingPool.isCurrentThreadPoolThread }
        let asyncOne = Dependency { () async in BlockingPool.isCurrentThreadPoolThread }
        let app = makeApp()
        app.get("/threads", Depends(sync), Depends(asyncOne)) { syncOnPool, asyncOnPool async in
            ["sync dependency on pool": syncOnPool, "async dependency on pool": asyncOnPool,
             "async handler on pool": BlockingPool.isCurrentThreadPoolThread]
        }
        app.get("/sync-handler", Depends(asyncOne)) { _ in ["sync handler on pool": BlockingPool.isCurrentThreadPoolThread] }
        try await TestClient.run(app, mode: .live) { client async throws in
            let threads = try await client.get("/threads")
            #expect(threads.text == #"{"async dependency on pool":false,"async handler on pool":false,"sync dependency on pool":true}"#)
            let syncHandler = try await client.get("/sync-handler")
            #expect(syncHandler.text == #"{"sync handler on pool":true}"#)
        }
    }

    @Test("a dependency's parameters are validated with the handler's, in one 422 in FastAPI's order; nothing runs")
    func dependencyParametersValidate() async throws {
        let counter = Counter()
        let pagination = Dependency(Query<Int>("skip", default: 0, .greaterThanOrEqual(0)), Query<Int>("limit", .lessThanOrEqual(100))) {
            skip, limit in
            counter.next()
            return Page(skip: skip, limit: limit)
        }
        let app = makeApp()
        app.get("/items/{item_id}", Path<Int>("item_id"), Depends(pagination)) { id, page in ["id": id, "skip": page.skip] }
        try await TestClient.run(app) { client async throws in
            // The dependency's errors first, then the endpoint's path (FastAPI 0.165's order, 5.5).
            let invalid = try await client.get("/items/x?skip=-1")
            #expect(invalid.status == .unprocessableEntity)
            #expect(
                invalid.text
                    == #"{"detail":[{"type":"greater_than_equal","loc":["query","skip"],"msg":"Input should be greater than or equal to 0","input":"-1","ctx":{"ge":0}},{"type":"missing","loc":["query","limit"],"msg":"Field required","input":null},{"type":"int_parsing","loc":["path","item_id"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"x"}]}"#
            )
            #expect(counter.count == 0)
            let valid = try await client.get("/items/3?skip=5&limit=10")
            #expect(valid.text == #"{"id":3,"skip":5}"#)
        }
    }

    @Test("app, router and route dependencies run for their effect, in that order, before the parameter dependencies")
    func sideEffectDependencies() async throws {
        let log = EventLog()
        let verifyKey = Dependency(Header<String>("x_key")) { key async throws in
            log.add("app")
            guard key == "secret" else { throw HTTPError(.forbidden, detail: "X-Key header invalid") }
        }
        let routerDependency = Dependency { () async in log.add("router") }
        let routeDependency = Dependency { () async in log.add("route") }
        let parameterDependency = Dependency { () async in log.add("parameter") }
        let app = App(configuration: makeApp().configuration, dependencies: [Depends(verifyKey)])
        let router = Router(prefix: "/admin", dependencies: [Depends(routerDependency)])
        router.get("/stats", dependencies: [Depends(routeDependency)], Depends(parameterDependency)) { _ async in
            log.add("handler")
            return ["ok": true]
        }
        app.include(router)
        try await TestClient.run(app) { client async throws in
            let allowed = try await client.get("/admin/stats", headers: ["x-key": "secret"])
            #expect(allowed.status == .ok)
            #expect(log.all == ["app", "router", "route", "parameter", "handler"])
            let forbidden = try await client.get("/admin/stats", headers: ["x-key": "wrong"])
            #expect(forbidden.status == .forbidden)
            #expect(forbidden.text == #"{"detail":"X-Key header invalid"}"#)
            let missing = try await client.get("/admin/stats")
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.text == #"{"detail":[{"type":"missing","loc":["header","x-key"],"msg":"Field required","input":null}]}"#)
            #expect(log.all.count == 6)
        }
    }

    @Test("a router included in a prefixed router gets both prefixes, tags and dependencies")
    func nestedRouters() async throws {
        let log = EventLog()
        let outer = Router(prefix: "/api", tags: ["api"], dependencies: [Depends(Dependency { () async in log.add("outer") })])
        let inner = Router(prefix: "/v1", tags: ["v1"])
        inner.get("/ping", name: "ping") { () async in "pong" }
        outer.include(inner)
        let app = makeApp()
        app.include(outer)
        try await TestClient.run(app) { client async throws in
            let response = try await client.get("/api/v1/ping")
            #expect(response.status == .ok)
            #expect(log.all == ["outer"])
        }
        #expect(try app.openAPIDocument()["paths"]?["/api/v1/ping"]?["get"]?["tags"] == ["api", "v1"])
    }

    @Test("dependencyOverrides replace a dependency, its parameters included; a cyclic override is refused")
    func overrides() async throws {
        let realUser = Dependency(Header<String>("authorization")) { token async in "user for \(token)" }
        let app = makeApp()
        app.get("/me", Depends(realUser)) { user async in user }
        try app.dependencyOverrides.override(realUser, with: Dependency(Query<String>("as")) { name async in "fake \(name)" })
        try await TestClient.run(app) { client async throws in
            #expect(try await client.get("/me?as=ann").text == #""fake ann""#)
            app.dependencyOverrides.removeAll()
            #expect(try await client.get("/me", headers: ["authorization": "t"]).text == #""user for t""#)
        }
        let wrapper = Dependency(name: "wrapper", Depends(realUser)) { user async in user }
        #expect(throws: RouteConfigurationError.self) {
            try app.dependencyOverrides.override(realUser, with: Dependency(name: "loop", Depends(wrapper)) { user async in user })
        }
        do {
            try app.dependencyOverrides.override(realUser, with: Dependency(name: "loop", Depends(wrapper)) { user async in user })
        } catch {
            #expect(error.description == "dependency override of Dependency<String> makes a cycle: loop -> wrapper -> Dependency<String>")
        }
    }

    @Test("a dependency path parameter missing from the template is a registration error naming the route")
    func unresolvableDependency() async throws {
        let byID = Dependency(Path<Int>("item_id")) { id async in id }
        let app = makeApp()
        app.get("/items", Depends(byID)) { id async in id }
        #expect(throws: RouteConfigurationError.self) { try app.openAPIDocument() }
        do {
            _ = try app.openAPIDocument()
        } catch {
            #expect(error.description == #"route GET /items: Path parameter "item_id" has no {item_id} in the path template"#)
        }
    }
}

/// FastAPI's error order with dependencies (FASTAPI_SEMANTICS 5.5), recorded from FastAPI 0.165
/// (`Tests/Conformance/fastapi_error_order.py`): the route's dependency, then a
/// dependency's own dependency (its header), then that dependency's query, then the
/// endpoint's own path, query and body.
@Suite("Error order with dependencies")
struct DependencyErrorOrderTests {
    @Test("each dependency's errors come first, depth first, then the endpoint's by location")
    func errorOrder() async throws {
        let token = Dependency(Header<Int>("x_token")) { token async in token }
        let pager = Dependency(Depends(token), Query<Int>("page")) { _, page async in page }
        let audit = Dependency(Query<Int>("tag")) { tag async in tag }
        let app = makeApp()
        app.post(
            "/items/{item_id}", dependencies: [Depends(audit)], Path<Int>("item_id"), Query<Int>("limit"), Depends(pager),
            Body<Int>("size", embed: true)
        ) { _, _, _, _ async in "ok" }
        try await TestClient.run(app) { client in
            let response = try await client.post("/items/x?limit=a&page=b&tag=c", json: #"{"size":"z"}"#, headers: ["x-token": "y"])
            #expect(response.status == .unprocessableEntity)
            #expect(
                response.text
                    == #"{"detail":[{"type":"int_parsing","loc":["query","tag"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"c"},{"type":"int_parsing","loc":["header","x-token"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"y"},{"type":"int_parsing","loc":["query","page"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"b"},{"type":"int_parsing","loc":["path","item_id"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"x"},{"type":"int_parsing","loc":["query","limit"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"a"},{"type":"int_parsing","loc":["body","size"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"z"}]}"#
            )
        }
    }
}

/// An async wait a test opens (no thread held, unlike `Gate`).
final class AsyncLatch: Sendable {
    private let isOpen = NIOLockedValueBox(false)
    func open() { self.isOpen.withLockedValue { $0 = true } }
    func wait() async {
        while !self.isOpen.withLockedValue({ $0 }) { try? await Task.sleep(for: .milliseconds(2)) }
    }
}

/// `Depends(..., maxConcurrency:)` (FastAPI 0.165's `max_concurrency`), with a bounded wait.
@Suite("Dependency concurrency limits", .timeLimit(.minutes(1)))
struct DependencyLimitTests {
    @Test("past maxConcurrency a request waits; past maxWait it is answered 503 with Retry-After")
    func boundedWait() async throws {
        let latch = AsyncLatch()
        let entered = NIOLockedValueBox(0)
        // A slow call (a rate-limited API): without a teardown, the permit is held while it runs.
        let api = Dependency { () async in
            entered.withLockedValue { $0 += 1 }
            await latch.wait()
            return "api"
        }
        let limited = Depends(api, maxConcurrency: 1, maxWait: .milliseconds(200))
        let app = makeApp()
        app.get("/call", limited) { value async in value }
        try await TestClient.run(app) { client in
            async let first = client.get("/call")
            try await eventually { entered.withLockedValue { $0 } == 1 }
            let refused = try await client.get("/call")
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.headers == ["retry-after": "1", "content-type": "application/json", "content-length": "32"])
            #expect(refused.text == #"{"detail":"Service Unavailable"}"#)
            latch.open()
            #expect(try await first.text == #""api""#)
            #expect(try await client.get("/call").text == #""api""#)
        }
    }

    @Test("waiters get the permit in arrival order, and a dependency with a teardown holds it until the teardown ran")
    func fairAndHeldThroughTeardown() async throws {
        let latch = AsyncLatch()
        let log = EventLog()
        let session = Dependency(
            Query<String>("name"), setUp: { (name: String) async in log.add("setup \(name)"); return name },
            tearDown: { (name: String, _) async in log.add("teardown \(name)") })
        let limited = Depends(session, maxConcurrency: 1, maxWait: .seconds(20))
        let app = makeApp()
        app.get("/use", limited) { name async in
            if name == "a" { await latch.wait() }
            return name
        }
        try await TestClient.run(app) { client in
            async let a = client.get("/use?name=a")
            try await eventually { log.all == ["setup a"] }
            async let b = client.get("/use?name=b")
            try await eventually { limited.limit?.waiting == 1 }
            async let c = client.get("/use?name=c")
            try await eventually { limited.limit?.waiting == 2 }
            latch.open()
            #expect(try await [a, b, c].map(\.text) == [#""a""#, #""b""#, #""c""#])
            try await eventually { log.all.count == 6 }
            #expect(log.all == ["setup a", "teardown a", "setup b", "teardown b", "setup c", "teardown c"])
        }
    }
}
