/// The app's blocking pool, for blocking work inside an async handler: Starlette's
/// `run_in_threadpool`. Take it as a parameter; `run` hops to a pool thread and back.
///
/// ```swift
/// app.webSocket("/reports", ThreadPool()) { ws, pool in
///     try await ws.accept()
///     for try await message in ws.messages {
///         let report = try await pool.run { try database.slowReport(for: message) }  // blocks a pool thread, not the loop
///         try await ws.sendJSON(report)
///     }
/// }
/// ```
///
/// WebSocket handlers are always async (they live as long as the socket), so this is how they
/// call a blocking driver per message; HTTP routes can also simply be sync.
public struct ThreadPool: RequestParameter, Sendable {
    let pool: BlockingPool?

    /// The marker of the parameter.
    public init() { self.pool = nil }

    init(pool: BlockingPool) { self.pool = pool }

    public var info: ParameterInfo { ParameterInfo(location: .other, name: "thread_pool", isRequired: false) }

    public func extract(from context: ExtractionContext) -> ThreadPool? {
        ThreadPool(pool: context.services.pool)
    }

    /// Runs `body` on a pool thread and returns its result.
    /// - Throws: what `body` throws, or a 503 ``HTTPError`` when the pool's queue is full.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        guard let pool = self.pool else { throw ThreadPoolMarkerUsed() }
        return try await pool.run(body)
    }
}

/// `ThreadPool()` itself was used instead of the value the handler received.
struct ThreadPoolMarkerUsed: Error, CustomStringConvertible {
    var description: String { "ThreadPool() is a parameter marker: use the pool the handler receives as its argument" }
}
