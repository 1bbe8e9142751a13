/// The app's blocking pool, for blocking work inside an async handler: Starlette's
/// `run_in_threadpool`. Take it as the `.threadPool` parameter; `run` hops to a pool thread and back.
///
/// ```swift
/// app.webSocket("/reports", .threadPool) { ws, pool in
///     try await ws.accept()
///     for try await message in ws.messages {
///         let report = try await pool.run { try database.report(for: message) }  // blocks a pool thread, not the loop
///         try await ws.sendJSON(report)
///     }
/// }
/// ```
///
/// WebSocket handlers are always async (they live as long as the socket), so this is how they
/// call a blocking driver per message; HTTP routes can also simply be sync.
public struct ThreadPool: Sendable {
    let pool: BlockingPool

    init(pool: BlockingPool) { self.pool = pool }

    /// Runs `body` on a pool thread and returns its result.
    /// - Throws: what `body` throws, or a 503 ``HTTPError`` when the pool's queue is full.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await self.pool.run(body)
    }
}
