import CoreMetrics
import Logging
import NIOConcurrencyHelpers

/// Work to do after the response has been sent: FastAPI's `BackgroundTasks`. Declare the
/// `.backgroundTasks` parameter in a handler or a dependency and add tasks to it.
///
/// ```swift
/// app.post("/orders", Body<Order>(), .backgroundTasks) { order, tasks in
///     tasks.add { try mailer.confirm(order) }   // sync: runs on the blocking pool
///     return order
/// }
/// ```
///
/// Tasks run after the response was sent, one after another in the order added, before the
/// dependencies' teardowns; a sync task on the blocking pool, an async one on the event loop.
/// A task that throws is logged and the next ones still run. A graceful shutdown waits for
/// the pending tasks.
public final class BackgroundTasks: Sendable {
    private let tasks = NIOLockedValueBox<[Task]>([])

    enum Task: Sendable {
        case sync(@Sendable () throws -> Void)
        case async(@Sendable () async throws -> Void)
    }

    private let metrics: BackgroundTaskMetrics?

    /// One request's tasks (its scope makes them).
    init(metrics: BackgroundTaskMetrics? = nil) { self.metrics = metrics }

    /// Adds a sync task (it runs on the blocking pool).
    public func add(_ task: @escaping @Sendable () throws -> Void) {
        self.tasks.withLockedValue { $0.append(.sync(task)) }
        self.metrics?.queued.increment()
    }

    /// Adds an async task (it runs on the event loop and must not block).
    public func add(_ task: @escaping @Sendable () async throws -> Void) {
        self.tasks.withLockedValue { $0.append(.async(task)) }
        self.metrics?.queued.increment()
    }

    /// The number of tasks added so far.
    public var count: Int { self.tasks.withLockedValue { $0.count } }

    func run(in scope: RequestScope, request: Request) async {
        let tasks = self.tasks.withLockedValue { tasks in
            defer { tasks = [] }
            return tasks
        }
        let tracer = scope.tracer
        for task in tasks {
            self.metrics?.running.increment()
            var failed = false
            defer { self.metrics?.finished(failed: failed) }
            do {
                try await traced(tracer, "background task") {
                    switch task {
                    case .sync(let body): try await scope.runSync(lane: .admitted, body)
                    case .async(let body): try await body()
                    }
                }
            } catch {
                failed = true
                scope.logger.error(
                    "Error in a background task of \(request.method) \(request.path): \(String(reflecting: error))",
                    metadata: ["http.method": "\(request.method)", "http.path": "\(request.path)"])
            }
        }
    }
}

/// Counts the requests still doing work after their response (background tasks,
/// teardowns), so that a graceful shutdown can wait for them.
package final class BackgroundWorkTracker: Sendable {
    private let state = NIOLockedValueBox<(count: Int, waiters: [CheckedContinuation<Void, Never>])>((0, []))

    package init() {}

    func begin() { self.state.withLockedValue { $0.count += 1 } }

    func end() {
        let waiters = self.state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            state.count -= 1
            guard state.count == 0 else { return [] }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The number of requests with pending work.
    package var pending: Int { self.state.withLockedValue { $0.count } }

    /// Returns when no request has pending work.
    package func waitUntilIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = self.state.withLockedValue { state -> Bool in
                if state.count == 0 { return true }
                state.waiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }
}
