import Apus
import ApusTesting
import Foundation
import Logging
import Testing

struct Broken: Error {}

/// A real resource: a file opened by a dependency, written by handlers, committed (kept) or
/// rolled back (removed) and closed by the teardown.
final class Journal: Sendable {
    let url: URL
    let handle: FileHandle

    init(directory: URL) throws {
        self.url = directory.appendingPathComponent("journal-\(UUID().uuidString).txt")
        FileManager.default.createFile(atPath: self.url.path, contents: nil)
        self.handle = try FileHandle(forWritingTo: self.url)
    }

    func write(_ line: String) throws { try self.handle.write(contentsOf: Data((line + "\n").utf8)) }
}

@Suite("Dependencies with teardown", .timeLimit(.minutes(1)))
struct TeardownTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("apus-teardown-\(UUID().uuidString)")

    func journalDependency(log: EventLog) -> Dependency<Journal> {
        Dependency(name: "journal", setUp: { [directory] () throws -> Journal in
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            log.add("open on pool: \(BlockingPool.isCurrentThreadPoolThread)")
            return try Journal(directory: directory)
        }) { journal, error in
            try journal.handle.close()
            if error == nil {
                log.add("commit")
            } else {
                try FileManager.default.removeItem(at: journal.url)
                log.add("rollback after \(error.map { String(describing: type(of: $0)) } ?? "")")
            }
            log.add("teardown on pool: \(BlockingPool.isCurrentThreadPoolThread)")
        }
    }

    @Test("a sync teardown closes a real file after the handler; it sees the handler's error and rolls back")
    func realResource() async throws {
        let log = EventLog()
        let journal = self.journalDependency(log: log)
        let app = makeApp()
        app.post("/entries", Depends(journal), Query<String>("text")) { journal, text in
            try journal.write(text)
            if text == "fail" { throw Broken() }
            return journal.url.lastPathComponent
        }
        try await TestClient.run(app) { client async throws in
            let created = try await client.post("/entries?text=hello", json: "")
            #expect(created.status == .ok)
            try await eventually { log.all.count == 3 }
            #expect(log.all == ["open on pool: true", "commit", "teardown on pool: true"])
            let name = try #require(created.json.flatMap { if case .string(let name) = $0 { name } else { nil } })
            #expect(try String(contentsOf: self.directory.appendingPathComponent(name), encoding: .utf8) == "hello\n")

            let failed = try await client.post("/entries?text=fail", json: "")
            #expect(failed.status == .internalServerError)
            #expect(failed.text == "Internal Server Error")
            #expect(Array(log.all.suffix(3)) == ["open on pool: true", "rollback after Broken", "teardown on pool: true"])
            let files = try FileManager.default.contentsOfDirectory(atPath: self.directory.path)
            #expect(files == [name])
        }
        try? FileManager.default.removeItem(at: self.directory)
    }

    @Test("teardowns run in reverse order of setup; one can translate the error into the response")
    func orderAndTranslation() async throws {
        let log = EventLog()
        let outer = Dependency(name: "outer", setUp: { () async in log.add("set up outer"); return "outer" }) { _, error async in
            log.add("tear down outer, error: \(Self.describe(error))")
        }
        let inner = Dependency(name: "inner", Depends(outer), setUp: { _ async in log.add("set up inner"); return "inner" }) {
            _, error async throws in
            log.add("tear down inner, error: \(Self.describe(error))")
            if error is Broken { throw HTTPError(.notFound, detail: "Item not found") }
        }
        let app = makeApp()
        app.get("/ok", Depends(inner)) { value async in value }
        app.get("/broken", Depends(inner)) { _ async throws -> String in throw Broken() }
        try await TestClient.run(app) { client async throws in
            let ok = try await client.get("/ok")
            #expect(ok.text == #""inner""#)
            try await eventually { log.all.count == 4 }
            #expect(log.all == ["set up outer", "set up inner", "tear down inner, error: none", "tear down outer, error: none"])
            let broken = try await client.get("/broken")
            #expect(broken.status == .notFound)
            #expect(broken.text == #"{"detail":"Item not found"}"#)
            #expect(
                Array(log.all.suffix(4)) == [
                    "set up outer", "set up inner", "tear down inner, error: Broken",
                    "tear down outer, error: HTTPError 404",
                ])
        }
    }

    static func describe(_ error: (any Error)?) -> String {
        guard let error else { return "none" }
        if let http = error as? HTTPError { return "HTTPError \(http.status.code)" }
        return String(describing: type(of: error))
    }

    @Test("an error in a teardown after a successful response is logged and does not change the response")
    func teardownErrorAfterResponse() async throws {
        let handler = CapturingLogHandler()
        let faulty = Dependency(name: "faulty", setUp: { () async in 1 }) { _, _ async throws in throw Broken() }
        let app = makeApp(logger: .capturing(handler))
        app.get("/value", Depends(faulty)) { value async in value }
        try await TestClient.run(app) { client async throws in
            let response = try await client.get("/value")
            #expect(response.status == .ok)
            #expect(response.text == "1")
            try await eventually { !handler.logged.isEmpty }
            #expect(handler.logged.map(\.level) == [.error])
            #expect(handler.logged.first?.message.hasPrefix("Error in a dependency teardown after GET /value was answered: ") == true)
        }
    }

    @Test("a dependency used twice with a teardown sets up and tears down once")
    func cachedTeardown() async throws {
        let log = EventLog()
        let resource = Dependency(name: "resource", setUp: { () async in log.add("up"); return 7 }) { _, _ async in log.add("down") }
        let user = Dependency(Depends(resource)) { value async in value + 1 }
        let app = makeApp()
        app.get("/twice", Depends(resource), Depends(user)) { value, plusOne async in [value, plusOne] }
        try await TestClient.run(app) { client async throws in
            #expect(try await client.get("/twice").text == "[7,8]")
            try await eventually { log.all.count == 2 }
            #expect(log.all == ["up", "down"])
        }
    }
}

/// `Depends(..., scope: .function)` (FastAPI 0.121), compared with FastAPI 0.165's answers for
/// `Tests/Conformance/fastapi_dependency_scopes.py`: a function-scoped teardown runs before
/// the response is sent, and its error becomes the response.
@Suite("Dependency scopes")
struct DependencyScopeTests {
    @Test("a function-scoped teardown runs before the response; a request-scoped one after it")
    func order() async throws {
        let log = EventLog()
        let function = Dependency(setUp: { () async in log.add("fn setup"); return "fn" }, tearDown: { (_: String, _) async in log.add("fn teardown") })
        let request = Dependency(setUp: { () async in log.add("req setup"); return "req" }, tearDown: { (_: String, _) async in log.add("req teardown") })
        let app = makeApp()
        app.get("/order", Depends(function, scope: .function), Depends(request, scope: .request)) { a, b async in
            log.add("handler")
            return ["a": a, "b": b, "log": log.all.joined(separator: ",")]
        }
        app.get("/seen") { log.all }
        try await TestClient.run(app) { client in
            let response = try await client.get("/order")
            #expect(response.status == .ok)
            #expect(response.text == #"{"a":"fn","b":"req","log":"fn setup,req setup,handler"}"#)
            try await eventually { log.all.count == 5 }
            #expect(log.all == ["fn setup", "req setup", "handler", "fn teardown", "req teardown"])
        }
    }

    @Test("a request-scoped dependency with a teardown cannot depend on a function-scoped one (refused at registration, as FastAPI)")
    func scopeRule() throws {
        let transaction = Dependency(name: "transaction", setUp: { () async in "tx" }, tearDown: { (_: String, _) async in })
        let session = Dependency(name: "session", Depends(transaction, scope: .function), setUp: { tx async in tx }, tearDown: { (_: String, _) async in })
        let plain = Dependency(name: "plain", Depends(transaction, scope: .function)) { tx async in tx }
        let app = makeApp()
        app.get("/mixed", Depends(session)) { s async in ["s": s] }
        #expect(throws: RouteConfigurationError.self) { try app.openAPIDocument() }
        do {
            _ = try app.openAPIDocument()
        } catch {
            #expect(
                error.description
                    == #"route GET /mixed: the dependency "session" has a scope of .request (its teardown runs after the response); it cannot depend on "transaction", whose scope is .function (torn down before the response)"#
            )
        }
        // Allowed: a function-scoped use of the session, and a dependency without teardown.
        let fine = makeApp()
        fine.get("/a", Depends(session, scope: .function)) { s async in ["s": s] }
        fine.get("/b", Depends(plain)) { s async in ["s": s] }
        #expect(throws: Never.self) { try fine.openAPIDocument() }
    }

    @Test("a function-scoped teardown that throws answers the request with its error, as FastAPI does")
    func failingTeardown() async throws {
        let failing = Dependency(
            setUp: { () async in "x" }, tearDown: { (_: String, _) async throws in throw HTTPError(.conflict, detail: "Conflict in teardown") })
        let app = makeApp()
        app.get("/fail", Depends(failing, scope: .function)) { x async in ["x": x] }
        app.get("/late", Depends(failing)) { x async in ["x": x] }
        try await TestClient.run(app) { client in
            let failed = try await client.get("/fail")
            #expect(failed.status == .conflict)
            #expect(failed.headers == ["content-type": "application/json", "content-length": "33"])
            #expect(failed.text == #"{"detail":"Conflict in teardown"}"#)
            // Request-scoped (the default): the response was sent; the error is only logged.
            let late = try await client.get("/late")
            #expect(late.status == .ok)
            #expect(late.text == #"{"x":"x"}"#)
        }
    }
}
