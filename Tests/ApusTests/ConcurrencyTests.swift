import Apus
import ApusTesting
import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import Testing

/// A gate that blocking code waits on until a test opens it.
final class Gate: Sendable {
    private let condition = NIOLockedValueBox(false)
    private let semaphore = DispatchSemaphore(value: 0)
    private let arrivals = NIOLockedValueBox(0)

    /// Blocks the calling thread (only ever a pool thread) until `open()`.
    func wait() {
        self.arrivals.withLockedValue { $0 += 1 }
        if self.condition.withLockedValue({ $0 }) { return }
        self.semaphore.wait()
        self.semaphore.signal()
    }

    func open() {
        self.condition.withLockedValue { $0 = true }
        self.semaphore.signal()
    }

    var arrived: Int { self.arrivals.withLockedValue { $0 } }
}

/// Polls `condition` until it holds (or fails the test after `seconds`).
func eventually(_ seconds: Double = 5, _ condition: () -> Bool) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
        guard Date() < deadline else {
            Issue.record("condition not met within \(seconds) s")
            return
        }
        try await Task.sleep(nanoseconds: 2_000_000)
    }
}

struct Placement: Codable, Sendable {
    var eventLoop: Bool
    var blockingPool: Bool
    var threadIsMain: Bool
}

func currentPlacement() -> Placement {
    Placement(
        eventLoop: MultiThreadedEventLoopGroup.currentEventLoop != nil,
        blockingPool: BlockingPool.isCurrentThreadPoolThread,
        threadIsMain: Thread.isMainThread)
}

@Suite("Concurrency model: async on the event loop, sync on the blocking pool", .timeLimit(.minutes(1)))
struct ConcurrencyTests {
    @Test("(a) a sync handler runs on a pool thread, not an event loop or cooperative-pool thread")
    func syncRunsOnPool() async throws {
        let app = makeApp()
        app.get("/where") { currentPlacement() }
        try await TestClient.run(app, mode: .live) { client async throws in
            let response = try await client.get("/where")
            #expect(response.status == .ok)
            let placement = try JSONDecoder().decode(Placement.self, from: Data(response.text.utf8))
            #expect(placement.blockingPool)
            #expect(!placement.eventLoop)
            // The pool's marker is set only on the threads `BlockingPool` creates itself, so
            // this is neither an event loop thread nor one of Swift's cooperative pool.
            #expect(!placement.threadIsMain)
        }
    }

    @Test("(b) an async handler runs on its connection's event loop, also after a suspension")
    func asyncRunsOnEventLoop() async throws {
        let app = makeApp()
        app.get("/where") { () async -> [Placement] in
            let before = currentPlacement()
            await Task.yield()
            try? await Task.sleep(nanoseconds: 1_000_000)
            return [before, currentPlacement()]
        }
        try await TestClient.run(app, mode: .live) { client async throws in
            let response = try await client.get("/where")
            let placements = try JSONDecoder().decode([Placement].self, from: Data(response.text.utf8))
            #expect(placements.count == 2)
            for placement in placements {
                #expect(placement.eventLoop)
                #expect(!placement.blockingPool)
            }
        }
    }

    @Test("(c) with every pool thread held, async routes still answer")
    func asyncAnswersWhilePoolIsFull() async throws {
        let gate = Gate()
        let app = makeApp { $0.blockingThreads = 2 }
        app.get("/block") { gate.wait(); return "released" }
        app.get("/ping") { () async in "pong" }
        try await TestClient.run(app, mode: .live) { client async throws in
            async let first = client.get("/block")
            async let second = client.get("/block")
            try await eventually { gate.arrived == 2 }
            let ping = try await client.get("/ping")
            #expect(ping.status == .ok)
            #expect(ping.text == #""pong""#)
            gate.open()
            #expect(try await first.text == #""released""#)
            #expect(try await second.text == #""released""#)
        }
    }

    @Test("(d) with pool and queue full the next sync request gets 503 + Retry-After; queued ones all complete")
    func overloadAnswers503() async throws {
        let gate = Gate()
        let app = makeApp {
            $0.blockingThreads = 2
            $0.blockingQueueLimit = 2
        }
        app.get("/block") { gate.wait(); return "done" }
        try await TestClient.run(app) { client async throws in
            async let running1 = client.get("/block")
            async let running2 = client.get("/block")
            try await eventually { gate.arrived == 2 }
            async let queued1 = client.get("/block")
            async let queued2 = client.get("/block")
            try await eventually { client.blockingPool.load.waiting == 2 }

            let rejected = try await client.get("/block")
            #expect(rejected.status == .serviceUnavailable)
            #expect(rejected.header("retry-after") == "1")
            #expect(rejected.header("content-type") == "application/json")
            #expect(rejected.text == #"{"detail":"Service Unavailable"}"#)

            gate.open()
            for response in try await [running1, running2, queued1, queued2] {
                #expect(response.status == .ok)
                #expect(response.text == #""done""#)
            }
        }
    }

    @Test("with the pool and its queue full, admitted requests' teardowns and background tasks still run, teardowns first")
    func teardownsNeverRefused() async throws {
        let gate = Gate()
        let log = EventLog()
        let app = makeApp {
            $0.blockingThreads = 1
            $0.blockingQueueLimit = 1
        }
        let session = Dependency(setUp: { () async in "session" }, tearDown: { _, _ in log.add("teardown") })
        app.get("/hold") { log.add("hold"); gate.wait(); return "held" }
        app.get("/session", Depends(session)) { session async in session }
        app.get("/report", .backgroundTasks) { tasks async in
            tasks.add { log.add("task") }
            return "queued"
        }
        try await TestClient.run(app) { client async throws in
            async let running = client.get("/hold")
            try await eventually { gate.arrived == 1 }
            async let queued = client.get("/hold")
            try await eventually { client.blockingPool.load.waiting == 1 }
            #expect(try await client.get("/hold").status == .serviceUnavailable)
            // Answered on the event loop; the sync teardown and the sync background task wait for the pool.
            #expect(try await client.get("/session").text == #""session""#)
            try await eventually { client.blockingPool.load.waiting == 2 }
            #expect(try await client.get("/report").text == #""queued""#)
            try await eventually { client.blockingPool.load.waiting == 3 }
            gate.open()
            #expect(try await running.text == #""held""#)
            #expect(try await queued.text == #""held""#)
            try await eventually { log.all.count == 4 }
            // The teardown (which would return a pooled session) ran before the queued handler.
            #expect(log.all == ["hold", "teardown", "hold", "task"])
        }
    }

    /// `GET /wait`: an async handler that sleeps 30 s; the boxes say that it started, and that
    /// its sleep ended by cancellation.
    static func waitingRoute(on app: App) -> (started: NIOLockedValueBox<Bool>, cancelled: NIOLockedValueBox<Bool>) {
        let started = NIOLockedValueBox(false)
        let cancelled = NIOLockedValueBox(false)
        app.get("/wait") { () async -> String in
            started.withLockedValue { $0 = true }
            do {
                try await Task.sleep(nanoseconds: 30_000_000_000)
            } catch {
                cancelled.withLockedValue { $0 = Task.isCancelled }
            }
            return "finished"
        }
        return (started, cancelled)
    }

    @Test("(e) a client that disconnects cancels its async handler's task")
    func disconnectCancelsAsyncHandler() async throws {
        let app = makeApp()
        let (started, cancelled) = Self.waitingRoute(on: app)
        try await TestClient.run(app, mode: .live) { client async throws in
            let connection = try await client.rawConnection()
            try await connection.send("GET /wait HTTP/1.1\r\nHost: t\r\n\r\n")
            try await eventually { started.withLockedValue { $0 } }
            await connection.close()
            try await eventually { cancelled.withLockedValue { $0 } }
        }
    }

    @Test("(e) after an answer written at once (a 422, a handler that never suspends), a disconnect still cancels the pipelined handler behind it")
    func disconnectCancelsHandlerStartedByAnImmediateAnswer() async throws {
        let app = makeApp()
        app.get("/number/{n}", Path<Int>("n")) { n async in n }
        let (started, cancelled) = Self.waitingRoute(on: app)
        try await TestClient.run(app, mode: .live) { client async throws in
            for first in ["/number/x", "/number/7"] {
                started.withLockedValue { $0 = false }
                cancelled.withLockedValue { $0 = false }
                let connection = try await client.rawConnection()
                // One write: the first answer is written inside the read, and starts /wait.
                try await connection.send("GET \(first) HTTP/1.1\r\nHost: t\r\n\r\nGET /wait HTTP/1.1\r\nHost: t\r\n\r\n")
                try await eventually { started.withLockedValue { $0 } }
                await connection.close()
                try await eventually { cancelled.withLockedValue { $0 } }
            }
        }
    }

    @Test("(e) a client that disconnects drops its queued sync work")
    func disconnectDropsQueuedSyncWork() async throws {
        let gate = Gate()
        let ranAfterDisconnect = NIOLockedValueBox(0)
        let app = makeApp { $0.blockingThreads = 1 }
        app.get("/block") { gate.wait(); return "done" }
        app.get("/count") { ranAfterDisconnect.withLockedValue { $0 += 1 }; return "counted" }
        try await TestClient.run(app, mode: .live) { client async throws in
            async let holder = client.get("/block")
            try await eventually { gate.arrived == 1 }
            let connection = try await client.rawConnection()
            try await connection.send("GET /count HTTP/1.1\r\nHost: t\r\n\r\n")
            try await eventually { client.blockingPool.load.waiting == 1 }
            await connection.close()
            // Give the server the close before releasing the pool (FIFO: the dropped job is next).
            try await eventually { client.blockingPool.load.waiting == 1 }
            try await Task.sleep(nanoseconds: 50_000_000)
            gate.open()
            #expect(try await holder.text == #""done""#)
            // A later request runs after the dropped one would have: the count is still zero.
            #expect(try await client.get("/block").text == #""done""#)
            #expect(ranAfterDisconnect.withLockedValue { $0 } == 0)
        }
    }

    @Test("(f) N sync requests with a pool of N run at the same time")
    func poolRunsInParallel() async throws {
        let threads = 4
        let inside = NIOLockedValueBox(0)
        let app = makeApp { $0.blockingThreads = threads }
        app.get("/barrier") { () throws -> Int in
            inside.withLockedValue { $0 += 1 }
            // Each request waits until all N are inside: only possible if they run together.
            let deadline = Date().addingTimeInterval(5)
            while inside.withLockedValue({ $0 }) < threads {
                guard Date() < deadline else { throw HTTPError(.gatewayTimeout, detail: "not parallel") }
                usleep(1000)
            }
            return inside.withLockedValue { $0 }
        }
        try await TestClient.run(app) { client async throws in
            try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<threads { group.addTask { try await client.get("/barrier") } }
                for try await response in group {
                    #expect(response.status == .ok)
                    #expect(response.text == "4")
                }
            }
        }
    }
}

@Suite("Async handler placement", .timeLimit(.minutes(1)))
struct AsyncPlacementTests {
    @Test("with the global executor placement an async handler runs off the event loop and still answers")
    func globalExecutor() async throws {
        let app = makeApp { $0.asyncHandlerPlacement = .globalExecutor }
        app.get("/where") { () async -> Placement in currentPlacement() }
        try await TestClient.run(app, mode: .live) { client async throws in
            let response = try await client.get("/where")
            #expect(response.status == .ok)
            let placement = try JSONDecoder().decode(Placement.self, from: Data(response.text.utf8))
            #expect(!placement.eventLoop)
            #expect(!placement.blockingPool)
        }
    }
}
