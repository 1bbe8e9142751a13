import Apus
import ApusTesting
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOPosix
import ServiceLifecycle
import Testing

@Suite("Background tasks, lifespan and app state", .timeLimit(.minutes(1)))
struct BackgroundTaskTests {
    @Test("tasks run after the response was sent, in order, sync ones on the pool; a failing task is logged and the rest run")
    func afterResponse() async throws {
        let log = EventLog()
        let gate = Gate()
        let handler = CapturingLogHandler()
        let app = makeApp(logger: .capturing(handler))
        app.post("/orders", Query<String>("item"), .backgroundTasks) { item, tasks async in
            tasks.add {
                gate.wait()
                log.add("mail \(item) on pool: \(BlockingPool.isCurrentThreadPoolThread)")
            }
            tasks.add { () async throws in
                log.add("audit on pool: \(BlockingPool.isCurrentThreadPoolThread)")
                throw Broken()
            }
            tasks.add { log.add("last") }
            return ["ordered": item]
        }
        try await TestClient.run(app, mode: .live) { client async throws in
            // The first task blocks until the gate opens: the response arrives before it.
            let response = try await client.post("/orders?item=lamp", json: "")
            #expect(response.status == .ok)
            #expect(response.text == #"{"ordered":"lamp"}"#)
            #expect(log.all.isEmpty)
            gate.open()
            try await eventually { log.all.count == 3 }
            #expect(log.all == ["mail lamp on pool: true", "audit on pool: false", "last"])
            let errors = handler.logged.filter { $0.level == .error }
            #expect(errors.count == 1)
            #expect(errors.first?.message.hasPrefix("Error in a background task of POST /orders: ") == true)
        }
    }

    @Test("a dependency can add background tasks; tasks of a failed request do not run")
    func fromDependencyAndFailure() async throws {
        let log = EventLog()
        let audit = Dependency(.backgroundTasks, .request) { tasks, request async in
            let path = request.path
            tasks.add { () async in log.add("audit \(path)") }
        }
        let app = makeApp()
        app.get("/ok", Depends(audit)) { _ async in "ok" }
        app.get("/fails", Depends(audit)) { _ async throws -> String in throw HTTPError(.badRequest, detail: "no") }
        try await TestClient.run(app) { client async throws in
            #expect(try await client.get("/fails").status == .badRequest)
            #expect(try await client.get("/ok").status == .ok)
            try await eventually { log.all.count == 1 }
            try await Task.sleep(nanoseconds: 50_000_000)
            #expect(log.all == ["audit /ok"])
        }
    }

    @Test("a graceful shutdown waits for pending background tasks: every task completes")
    func shutdownDrains() async throws {
        let done = Counter()
        // The tasks wait until the shutdown has begun: none can finish before it (a timed
        // "not all done yet" raced a loaded machine, where 4 requests took longer than the tasks).
        let gate = Gate()
        let app = makeApp()
        app.post("/work", .backgroundTasks) { tasks async in
            for _ in 0..<3 {
                tasks.add {
                    gate.wait()
                    Thread.sleep(forTimeInterval: 0.05)
                    done.next()
                }
            }
            return "queued"
        }
        let client = try await TestClient(app, mode: .live)
        let port = try #require(client.port)
        for _ in 0..<4 { #expect(try await client.post("/work", json: "").status == .ok) }
        try await eventually { gate.arrived == 4 }
        let shutdown = Task { await client.shutdown() }
        // The listener closes first: once it refuses, the shutdown is waiting for the tasks.
        try await eventually { !((try? SocketProbe.canConnect(port: port)) ?? true) }
        #expect(done.count == 0)
        gate.open()
        await shutdown.value
        #expect(done.count == 12)
    }

    @Test("startup hooks run in order before serving, shutdown hooks in reverse after the last task; state reaches handlers")
    func lifespanAndState() async throws {
        struct Database: Sendable { var url: String }
        let log = EventLog()
        let app = makeApp()
        app.onStartup { app in
            log.add("startup 1")
            app.state.set(Database(url: "sqlite://memory"))
        }
        app.onStartup { _ in log.add("startup 2") }
        app.onShutdown { _ in log.add("shutdown 1") }
        app.onShutdown { app in log.add("shutdown 2, database \(app.state.get(Database.self)?.url ?? "gone")") }
        let session = Dependency(Shared<Database>()) { database async in "session on \(database.url)" }
        app.get("/db", Depends(session), .backgroundTasks) { session, tasks async in
            tasks.add {
                Thread.sleep(forTimeInterval: 0.05)
                log.add("task")
            }
            return session
        }
        let client = try await TestClient(app, mode: .live)
        #expect(log.all == ["startup 1", "startup 2"])
        #expect(try await client.get("/db").text == #""session on sqlite://memory""#)
        await client.shutdown()
        #expect(log.all == ["startup 1", "startup 2", "task", "shutdown 2, database sqlite://memory", "shutdown 1"])
    }

    @Test("a Shared value that was never set answers 500 and logs the missing type")
    func missingShared() async throws {
        let handler = CapturingLogHandler()
        let app = makeApp(logger: .capturing(handler))
        app.get("/cache", Shared<Counter>()) { counter async in counter.count }
        try await TestClient.run(app) { client async throws in
            let response = try await client.get("/cache")
            #expect(response.status == .internalServerError)
            #expect(response.text == #"{"detail":"Internal Server Error"}"#)
            #expect(handler.logged.first?.message.hasPrefix("No shared Counter in the app state for GET /cache") == true)
        }
    }

    @Test("a failing startup hook stops the start with its error")
    func failingStartup() async throws {
        let app = makeApp()
        app.onStartup { _ in throw Broken() }
        await #expect(throws: Broken.self) { _ = try await TestClient(app) }
    }
}

/// A service that waits until the app answers, records it, then returns: the ServiceGroup
/// then shuts the app down gracefully. The app listens on a port the kernel picks (port 0:
/// a port found free beforehand can be taken by another test's connection before the app
/// binds it); the port is read from the app's "serving on" log line.
struct ProbeService: Service {
    let serverLog: CapturingLogHandler
    let log: EventLog

    /// The port in "Apus serving on http://127.0.0.1:PORT", once logged.
    static func servingPort(in handler: CapturingLogHandler) -> Int? {
        let prefix = "Apus serving on http://127.0.0.1:"
        guard let line = handler.logged.first(where: { $0.message.hasPrefix(prefix) }) else { return nil }
        return Int(line.message.dropFirst(prefix.count))
    }

    func run() async throws {
        log.add("service started")
        for _ in 0..<500 {
            if let port = Self.servingPort(in: self.serverLog), (try? SocketProbe.canConnect(port: port)) == true { break }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        log.add("app reachable")
    }
}

/// Notes whether it runs on an event loop when it starts and once more after the group asked it to stop.
struct PlacementProbeService: Service {
    let name: String
    let log: EventLog

    func run() async throws {
        log.add("\(self.name) started, on a loop: \(MultiThreadedEventLoopGroup.currentEventLoop != nil)")
        try? await gracefulShutdown()
        // Work after the app stopped (an exporter's last flush): a timer, then a resumption.
        try await Task.sleep(nanoseconds: 20_000_000)
        log.add("\(self.name) stopped, on a loop: \(MultiThreadedEventLoopGroup.currentEventLoop != nil)")
    }
}

@Suite("ServiceGroup integration", .timeLimit(.minutes(1)))
struct ServiceGroupTests {
    @Test("a service placed on the event loop runs on it, and the loop keeps running for its stop after the app's")
    func eventLoopPlacement() async throws {
        let log = EventLog()
        let serverLog = CapturingLogHandler()
        let app = makeApp({ $0.port = 0 }, logger: .capturing(serverLog))
        app.onShutdown { _ in log.add("shutdown hook") }
        app.addService(PlacementProbeService(name: "placed", log: log), placement: .eventLoop)
        app.addService(PlacementProbeService(name: "global", log: log))
        try await app.run(alongside: [ProbeService(serverLog: serverLog, log: log)])
        let events = log.all
        #expect(Set(events) == [
            "placed started, on a loop: true", "global started, on a loop: false", "service started", "app reachable",
            "shutdown hook", "global stopped, on a loop: false", "placed stopped, on a loop: true",
        ])
        // Services stop after the app, in reverse order: the placed one last, on a loop the app no longer uses.
        #expect(Array(events.suffix(3)) == ["shutdown hook", "global stopped, on a loop: false", "placed stopped, on a loop: true"])
    }

    @Test("run(alongside:) serves in one ServiceGroup with other services and shuts down when the group ends")
    func runsAlongsideServices() async throws {
        let log = EventLog()
        let serverLog = CapturingLogHandler()
        let app = makeApp({ $0.port = 0 }, logger: .capturing(serverLog))
        app.onStartup { _ in log.add("startup hook") }
        app.onShutdown { _ in log.add("shutdown hook") }
        try await app.run(alongside: [ProbeService(serverLog: serverLog, log: log)])
        #expect(log.all == ["service started", "startup hook", "app reachable", "shutdown hook"]
            || log.all == ["startup hook", "service started", "app reachable", "shutdown hook"])
    }

    @Test("service() puts the app in a ServiceGroup of one's own")
    func ownServiceGroup() async throws {
        let log = EventLog()
        let serverLog = CapturingLogHandler()
        let app = makeApp({ $0.port = 0 }, logger: .capturing(serverLog))
        app.onShutdown { _ in log.add("shutdown hook") }
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: try app.service()),
                    .init(service: ProbeService(serverLog: serverLog, log: log), successTerminationBehavior: .gracefullyShutdownGroup),
                ],
                logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }))
        try await group.run()
        #expect(log.all == ["service started", "app reachable", "shutdown hook"])
    }
}
