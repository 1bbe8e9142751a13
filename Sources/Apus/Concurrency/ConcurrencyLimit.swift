import CoreMetrics
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

    /// The counts after a change, for the limit's metrics.
    private typealias Reading = (metrics: ConcurrencyLimitMetrics.Limit, inUse: Int, waiting: Int)

    private struct State {
        var holders = 0
        var waiters: [Waiter] = []
        var nextID = 0
        /// Where the counts go when metrics are on (``acquire(reportingTo:)``).
        var metrics: ConcurrencyLimitMetrics.Limit?

        /// The counts to report after a change, when metrics are on.
        var reading: Reading? {
            self.metrics.map { ($0, self.holders, self.waiters.count) }
        }
    }

    private let state = NIOLockedValueBox(State())

    package init(limit: Int, maxWait: Duration) {
        precondition(limit > 0, "maxConcurrency must be at least 1")
        self.limit = limit
        self.maxWait = maxWait
    }

    /// How many wait for a permit, for tests and metrics.
    package var waiting: Int { self.state.withLockedValue { $0.waiters.count } }

    private static func publish(_ reading: Reading?) {
        guard let reading else { return }
        reading.metrics.inUse.set(reading.inUse)
        reading.metrics.waiting.set(reading.waiting)
    }

    /// Takes a permit, waiting in line for one. `metrics` (read only until the limit has some:
    /// one limit is one dependency's) receive the permits in use, the waiters and the refusals
    /// from now on.
    /// - Throws: a 503 ``HTTPError`` with `Retry-After` when none came within `maxWait`;
    ///   `CancellationError` when the task was cancelled while waiting.
    package func acquire(reportingTo metrics: @autoclosure () -> ConcurrencyLimitMetrics.Limit? = nil) async throws {
        let (id, reading) = self.state.withLockedValue { state -> (Int?, Reading?) in
            if state.metrics == nil { state.metrics = metrics() }
            if state.holders < self.limit, state.waiters.isEmpty {
                state.holders += 1
                return (nil, state.reading)
            }
            state.nextID += 1
            return (state.nextID, nil)
        }
        Self.publish(reading)
        guard let id else { return }
        let timer = Task { [self] in
            try await Task.sleep(for: self.maxWait)
            self.abandon(id, with: HTTPError.poolFull)
        }
        defer { timer.cancel() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Entry { case admitted, cancelled, waiting }
                let (entry, reading) = self.state.withLockedValue { state -> (Entry, Reading?) in
                    // A permit may have come free between the first check and now.
                    if state.holders < self.limit, state.waiters.isEmpty {
                        state.holders += 1
                        return (.admitted, state.reading)
                    }
                    // Cancelled before joining the line: the cancellation handler found nothing to take out.
                    if Task.isCancelled { return (.cancelled, nil) }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return (.waiting, state.reading)
                }
                Self.publish(reading)
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
        let (next, reading) = self.state.withLockedValue { state -> (Waiter?, Reading?) in
            guard !state.waiters.isEmpty else {
                state.holders -= 1
                return (nil, state.reading)
            }
            let next = state.waiters.removeFirst()  // the permit passes on: `holders` stays
            return (next, state.reading)
        }
        Self.publish(reading)
        next?.continuation.resume()
    }

    /// Takes waiter `id` out of the line (timed out or cancelled), failing its wait.
    private func abandon(_ id: Int, with error: any Error) {
        let (waiter, reading) = self.state.withLockedValue { state -> (Waiter?, Reading?) in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return (nil, nil) }
            return (state.waiters.remove(at: index), state.reading)
        }
        Self.publish(reading)
        if waiter != nil, error is HTTPError { reading?.metrics.refused.increment() }
        waiter?.continuation.resume(throwing: error)
    }
}
