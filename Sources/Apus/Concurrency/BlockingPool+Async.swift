import Instrumentation

extension HTTPError {
    /// The 503 for work the pool's full queue refused: come back in a second.
    static let poolFull = HTTPError(.serviceUnavailable, detail: "Service Unavailable", headers: ["retry-after": "1"])
}

extension BlockingPool {
    /// Runs `body` on one of the pool's threads and returns its result: how a request's sync
    /// dependencies, teardowns, background tasks and handler hop off the event loop.
    /// - Throws: what `body` throws, or a 503 ``HTTPError`` when a request's job finds the
    ///   queue full (or the pool stopped).
    package func run<T: Sendable>(lane: Lane = .request, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        // A span's context goes with the work to the thread (a sync dependency's log lines and
        // outgoing calls join the request's trace).
        let context = ServiceContext.current
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job = Job {
                guard let context else { return continuation.resume(with: Result { try body() }) }
                ServiceContext.withValue(context) { continuation.resume(with: Result { try body() }) }
            }
            if !self.submit(job, lane: lane) {
                continuation.resume(throwing: HTTPError.poolFull)
            }
        }
    }
}
