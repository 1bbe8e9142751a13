import NIOConcurrencyHelpers

/// At most `limit` holders at once; the others wait in arrival order (fairly), without a
/// thread, each for at most `maxWait`. What `Depends(..., maxConcurrency:)` uses to bound the
/// users of a scarce resource (a connection pool of 10, a rate-limited API).
package final class ConcurrencyLimit: Sendable {
    package let limit: Int
    package let maxWait: Duration

    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var holders = 0
        var waiters: [Waiter] = []
        var nextID = 0
    }

    private let state = NIOLockedValueBox(State())

    package init(limit: Int, maxWait: Duration) {
        precondition(limit > 0, "maxConcurrency must be at least 1")
        self.limit = limit
        self.maxWait = maxWait
    }

    /// How many wait for a permit, for tests and metrics.
    package var waiting: Int { self.state.withLockedValue { $0.waiters.count } }

    /// Takes a permit, waiting in line for one.
    /// - Throws: a 503 ``HTTPError`` with `Retry-After` when none came within `maxWait`;
    ///   `CancellationError` when the task was cancelled while waiting.
    package func acquire() async throws {
        let id: Int? = self.state.withLockedValue { state in
            if state.holders < self.limit, state.waiters.isEmpty {
                state.holders += 1
                return nil
            }
            state.nextID += 1
            return state.nextID
        }
        guard let id else { return }
        let timer = Task { [self] in
            try await Task.sleep(for: self.maxWait)
            self.abandon(id, with: HTTPError.poolFull)
        }
        defer { timer.cancel() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Entry { case admitted, cancelled, waiting }
                let entry: Entry = self.state.withLockedValue { state in
                    // A permit may have come free between the first check and now.
                    if state.holders < self.limit, state.waiters.isEmpty {
                        state.holders += 1
                        return .admitted
                    }
                    // Cancelled before joining the line: the cancellation handler found nothing to take out.
                    if Task.isCancelled { return .cancelled }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return .waiting
                }
                switch entry {
                case .admitted: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .waiting: break
                }
            }
        } onCancel: {
            self.abandon(id, with: CancellationError())
        }
    }

    /// Gives a permit back: to the first waiter, or to the pool of permits.
    package func release() {
        let next: Waiter? = self.state.withLockedValue { state in
            guard !state.waiters.isEmpty else {
                state.holders -= 1
                return nil
            }
            return state.waiters.removeFirst()  // the permit passes on: `holders` stays
        }
        next?.continuation.resume()
    }

    /// Takes waiter `id` out of the line (timed out or cancelled), failing its wait.
    private func abandon(_ id: Int, with error: any Error) {
        let waiter: Waiter? = self.state.withLockedValue { state in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index)
        }
        waiter?.continuation.resume(throwing: error)
    }
}
