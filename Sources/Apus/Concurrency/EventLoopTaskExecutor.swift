import NIOCore

/// Runs a task's jobs on one event loop, so that an async handler starts and resumes on
/// the loop of its connection: no hop to Swift's global pool and back for each request.
/// Measured against the alternatives in `docs/concurrency.md`.
final class EventLoopTaskExecutor: TaskExecutor, Sendable {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) { self.eventLoop = eventLoop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        self.eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
