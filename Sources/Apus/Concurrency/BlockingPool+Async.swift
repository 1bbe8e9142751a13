extension HTTPError {
    /// The 503 for work the pool's full queue refused: come back in a second.
    static let poolFull = HTTPError(.serviceUnavailable, detail: "Service Unavailable", headers: ["retry-after": "1"])
}

extension BlockingPool {
    /// Runs `body` on one of the pool's threads and returns its result: how a request's sync
    /// dependencies, teardowns, background tasks and handler hop off the event loop.
    /// - Throws: what `body` throws, or a 503 ``HTTPError`` when the pool's queue is full.
    package func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job = Job { continuation.resume(with: Result { try body() }) }
            if !self.submit(job) {
                continuation.resume(throwing: HTTPError.poolFull)
            }
        }
    }
}
