import CoreMetrics
import Foundation
import NIOConcurrencyHelpers
import NIOPosix

/// The thread pool that runs sync handlers, FastAPI's `def` endpoints: a fixed number of
/// dedicated threads (40 by default, like AnyIO's limiter) fed by a bounded FIFO queue.
///
/// When every thread is busy and the queue holds ``queueLimit`` jobs, ``submit(_:)`` refuses
/// a request's job and the request is answered `503 Service Unavailable` with `Retry-After`,
/// instead of waiting without bound. Work an admitted request still owes is never refused
/// (see `Lane`): teardowns go first, ahead of every waiting request (a teardown returns the
/// database session the queued handlers wait for), background tasks join the queue. Its threads are never event loop threads nor threads
/// of Swift's cooperative pool, so blocking there stalls nothing else.
public final class BlockingPool: Sendable {
    /// A unit of work; cancelling it before it starts means it never runs.
    package final class Job: Sendable {
        enum State { case waiting, started, cancelled }
        let work: @Sendable () -> Void
        private let state = NIOLockedValueBox(State.waiting)
        /// When the job joined the queue (`DispatchTime` nanoseconds), when the pool measures waits.
        // `nonisolated(unsafe)`: written by `submit` and read by the thread that takes the job,
        // both while the pool's lock is held.
        nonisolated(unsafe) var enqueuedAt: UInt64 = 0

        package init(_ work: @escaping @Sendable () -> Void) { self.work = work }

        /// Drops the job if it has not started; returns whether it was dropped (it will not run).
        @discardableResult
        package func cancel() -> Bool {
            self.state.withLockedValue { state in
                guard state != .started else { return false }
                state = .cancelled
                return true
            }
        }

        /// Marks the job started unless it was cancelled; returns whether it may run.
        func start() -> Bool {
            self.state.withLockedValue { state in
                guard state == .waiting else { return false }
                state = .started
                return true
            }
        }
    }

    /// Which queue a job joins.
    package enum Lane: Sendable {
        /// A request's handler or sync dependency: refused when the queue is full.
        case request
        /// A background task of a request that was answered: never refused, in FIFO order.
        case admitted
        /// A teardown: never refused, run before any waiting job of the other lanes.
        case cleanup
    }

    /// The number of threads.
    public let threadCount: Int
    /// How many jobs may wait for a thread before new ones are refused.
    public let queueLimit: Int
    /// Where the pool's saturation is reported, when metrics are on.
    let metrics: BlockingPoolMetrics?

    private struct State {
        var queue: [Job] = []
        var head = 0
        /// Teardowns, served before `queue`.
        var cleanup: [Job] = []
        var idleThreads = 0
        var running = false
        var stopping = false

        /// Jobs queued beyond the threads that are idle and about to take them.
        var waitingForThread: Int {
            max(0, self.queue.count - self.head + self.cleanup.count - self.idleThreads)
        }
    }

    private let lock = NSCondition()
    // `nonisolated(unsafe)`: both are only read or written while `lock` is held.
    private nonisolated(unsafe) var state = State()
    private nonisolated(unsafe) var threads: [Thread] = []

    private final class Marker: Sendable {}
    private static let marker = ThreadSpecificVariable<Marker>()

    /// Whether the calling thread is one of a `BlockingPool`'s threads.
    public static var isCurrentThreadPoolThread: Bool { Self.marker.currentValue != nil }

    /// Creates a pool; its threads start with ``start()``.
    package init(threadCount: Int = 40, queueLimit: Int = 1024, metrics: BlockingPoolMetrics? = nil) {
        precondition(threadCount > 0, "BlockingPool needs at least one thread")
        self.threadCount = threadCount
        self.queueLimit = max(0, queueLimit)
        self.metrics = metrics
    }

    /// Starts the threads (idempotent).
    package func start() {
        self.lock.lock()
        defer { self.lock.unlock() }
        guard !self.state.running else { return }
        self.state.running = true
        self.state.stopping = false
        for index in 0..<self.threadCount {
            let thread = Thread { [self] in self.threadMain() }
            thread.name = "apus-blocking-\(index)"
            thread.stackSize = 1 << 20
            self.threads.append(thread)
            thread.start()
        }
    }

    /// Stops the threads once the queue is drained; waits for them to finish.
    package func shutdown() {
        self.lock.lock()
        self.state.stopping = true
        self.lock.broadcast()
        self.lock.unlock()
        // Threads exit on their own; give them a moment so tests see a quiet process.
        for _ in 0..<200 {
            self.lock.lock()
            let done = self.threads.allSatisfy { $0.isFinished }
            self.lock.unlock()
            if done { break }
            usleep(1000)
        }
        self.lock.lock()
        self.threads.removeAll()
        self.state.running = false
        self.lock.unlock()
    }

    /// Queues `job` in `lane`; returns `false` (and drops it) when the pool is stopped, or for
    /// a request's job when all threads are busy and the queue is full.
    package func submit(_ job: Job, lane: Lane = .request) -> Bool {
        self.lock.lock()
        guard !self.state.stopping else {
            self.lock.unlock()
            return false
        }
        switch lane {
        case .request:
            let waiting = self.state.queue.count - self.state.head
            guard waiting < self.state.idleThreads + self.queueLimit else {
                self.lock.unlock()
                self.metrics?.shed.increment()
                return false
            }
            self.state.queue.append(job)
        case .admitted:
            self.state.queue.append(job)
        case .cleanup:
            self.state.cleanup.append(job)
        }
        let queued = self.metrics.map { _ in
            job.enqueuedAt = DispatchTime.now().uptimeNanoseconds
            return self.state.waitingForThread
        }
        self.lock.signal()
        self.lock.unlock()
        if let queued { self.metrics?.queueLength.set(queued) }
        return true
    }

    /// Jobs waiting for a thread and threads busy, for metrics and tests.
    public var load: (waiting: Int, busy: Int) {
        self.lock.lock()
        defer { self.lock.unlock() }
        return (self.state.waitingForThread, self.threads.count - self.state.idleThreads)
    }

    /// What a thread that took a job reads for the metrics: the job's wait and the pool's counts.
    private typealias Reading = (waited: UInt64, queued: Int, busy: Int)

    /// A thread took `job`: its wait and the pool's counts, when metrics are on. Call with the lock held.
    private func took(_ job: Job) -> Reading? {
        guard self.metrics != nil else { return nil }
        let waited = DispatchTime.now().uptimeNanoseconds &- job.enqueuedAt
        return (waited, self.state.waitingForThread, self.threadCount - self.state.idleThreads)
    }

    /// Reports what ``took(_:)`` read, after the lock is released.
    private func report(_ reading: Reading?) {
        guard let reading, let metrics else { return }
        metrics.queueWait.recordNanoseconds(Int64(clamping: reading.waited))
        metrics.queueLength.set(reading.queued)
        metrics.busyThreads.set(reading.busy)
    }

    /// A thread finished a job and looks for the next: the busy threads, when metrics are on.
    private func finishedJob() {
        guard let metrics else { return }
        self.lock.lock()
        let busy = self.threadCount - self.state.idleThreads - 1
        self.lock.unlock()
        metrics.busyThreads.set(max(0, busy))
    }

    private func threadMain() {
        Self.marker.currentValue = Marker()
        while true {
            self.lock.lock()
            self.state.idleThreads += 1
            while self.state.head == self.state.queue.count && self.state.cleanup.isEmpty && !self.state.stopping {
                self.lock.wait()
            }
            self.state.idleThreads -= 1
            if !self.state.cleanup.isEmpty {
                let job = self.state.cleanup.removeFirst()
                let reading = self.took(job)
                self.lock.unlock()
                self.report(reading)
                if job.start() { job.work() }
                self.finishedJob()
                continue
            }
            if self.state.head == self.state.queue.count {
                // Stopping and nothing left to do.
                self.lock.unlock()
                return
            }
            let job = self.state.queue[self.state.head]
            self.state.head += 1
            if self.state.head > 64 && self.state.head * 2 > self.state.queue.count {
                self.state.queue.removeFirst(self.state.head)
                self.state.head = 0
            }
            let reading = self.took(job)
            self.lock.unlock()
            self.report(reading)
            if job.start() { job.work() }
            self.finishedJob()
        }
    }
}
