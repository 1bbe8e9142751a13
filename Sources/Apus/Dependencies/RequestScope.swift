import Logging
import NIOConcurrencyHelpers
import Tracing

/// What one request needs once its parameters are valid and its dependencies run: the
/// dependencies' values, the teardowns to run, the background tasks, and the pool to hop
/// to for sync work. Made on the event loop, then used by the request's task; the mutable
/// state is behind a lock.
package final class RequestScope: Sendable {
    let pool: BlockingPool
    let logger: Logger
    let tracker: BackgroundWorkTracker
    let backgroundTasks: BackgroundTasks
    /// What the app measures and traces.
    let instruments: Instruments?
    /// Where the dependencies' and background tasks' spans are made (`nil`: none).
    let tracer: (any Tracer)?
    private let state = NIOLockedValueBox(State())

    private struct State {
        var values: [DependencyKey: any Sendable] = [:]
        var teardowns: [@Sendable ((any Error)?) async throws -> Void] = []
        /// The function-scoped teardowns (``DependencyScope/function``), run before the response.
        var functionTeardowns: [@Sendable ((any Error)?) async throws -> Void] = []
        /// The scope of the step running now, which its teardowns join.
        var registering: DependencyScope = .request
    }

    init(pool: BlockingPool, logger: Logger, tracker: BackgroundWorkTracker, instruments: Instruments? = nil, tracer: (any Tracer)? = nil) {
        self.tracer = tracer
        self.pool = pool
        self.logger = logger
        self.tracker = tracker
        self.instruments = instruments
        self.backgroundTasks = BackgroundTasks(metrics: instruments?.backgroundTasks)
    }

    func value(for key: DependencyKey) -> (any Sendable)? {
        self.state.withLockedValue { $0.values[key] }
    }

    func store(_ value: any Sendable, for key: DependencyKey) {
        self.state.withLockedValue { $0.values[key] = value }
    }

    func addTeardown(_ teardown: @escaping @Sendable ((any Error)?) async throws -> Void) {
        self.state.withLockedValue { state in
            if state.registering == .function { state.functionTeardowns.append(teardown) } else { state.teardowns.append(teardown) }
        }
    }

    /// Where the next teardown of the running step would go, for ``insertTeardown(_:at:)``.
    func teardownMark() -> Int {
        self.state.withLockedValue { $0.registering == .function ? $0.functionTeardowns.count : $0.teardowns.count }
    }

    /// Adds a teardown that runs after those the running step registered since `mark`.
    func insertTeardown(_ teardown: @escaping @Sendable ((any Error)?) async throws -> Void, at mark: Int) {
        self.state.withLockedValue { state in
            if state.registering == .function {
                state.functionTeardowns.insert(teardown, at: min(mark, state.functionTeardowns.count))
            } else {
                state.teardowns.insert(teardown, at: min(mark, state.teardowns.count))
            }
        }
    }

    /// Runs `body` on the blocking pool, in the lane of the work it is (a teardown or a
    /// background task is never refused).
    func runSync<T: Sendable>(lane: BlockingPool.Lane = .request, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await self.pool.run(lane: lane, body)
    }

    /// Runs the dependencies in order, storing each value.
    func resolve(_ steps: [(key: DependencyKey, step: DependencyStep)]) async throws {
        let tracer = self.tracer
        for (key, step) in steps {
            self.state.withLockedValue { $0.registering = step.teardownScope }
            defer { self.state.withLockedValue { $0.registering = .request } }
            let value = try await traced(tracer, "dependency \(step.name)") { try await step.run(self) }
            self.store(value, for: key)
        }
    }

    /// The handler returned: the function-scoped teardowns run now, innermost first, before
    /// the response is made; if one throws, the others see its error and the request is
    /// answered from it (the request-scoped teardowns then unwind with it).
    func closeFunctionScope() async throws {
        let teardowns = self.state.withLockedValue { state in
            defer { state.functionTeardowns = [] }
            return state.functionTeardowns
        }
        var failure: (any Error)?
        for teardown in teardowns.reversed() {
            do { try await teardown(failure) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// The handler or a dependency threw `error` before the response existed: the teardowns
    /// run now, innermost first, each seeing the error so far; one that throws replaces it.
    /// Returns the error the response is made from.
    func unwind(_ error: any Error) async -> any Error {
        var error = error
        for teardown in self.takeTeardowns().reversed() {
            do {
                try await teardown(error)
            } catch let replacement {
                error = replacement
            }
        }
        return error
    }

    /// After the response was handed to the connection: the background tasks in order, then
    /// the teardowns, innermost first. Errors are logged; they cannot change the response.
    func finish(request: Request) async {
        await self.backgroundTasks.run(in: self, request: request)
        for teardown in self.takeTeardowns().reversed() {
            do {
                try await teardown(nil)
            } catch {
                self.logger.error(
                    "Error in a dependency teardown after \(request.method) \(request.path) was answered: \(String(reflecting: error))",
                    metadata: ["http.method": "\(request.method)", "http.path": "\(request.path)"])
            }
        }
    }

    /// Every teardown not run yet, request-scoped first (they were set up around the
    /// function-scoped ones), so that running them reversed is innermost first.
    private func takeTeardowns() -> [@Sendable ((any Error)?) async throws -> Void] {
        self.state.withLockedValue { state in
            defer {
                state.teardowns = []
                state.functionTeardowns = []
            }
            return state.teardowns + state.functionTeardowns
        }
    }
}

/// What the pipeline provides to requests whose routes use dependencies or background tasks
/// (one reference per request).
package final class RequestServices: Sendable {
    let pool: BlockingPool
    let logger: Logger
    let overrides: DependencyOverrides?
    let tracker: BackgroundWorkTracker
    let state: AppState?
    let instruments: Instruments?

    init(
        pool: BlockingPool, logger: Logger, overrides: DependencyOverrides?, tracker: BackgroundWorkTracker, state: AppState?,
        instruments: Instruments? = nil
    ) {
        self.instruments = instruments
        self.pool = pool
        self.logger = logger
        self.overrides = overrides
        self.tracker = tracker
        self.state = state
    }
}
