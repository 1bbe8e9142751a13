import Atomics
import CoreMetrics

/// Background tasks (``BackgroundTasks``): `apus.background_tasks.queued` (a counter: tasks
/// added), `apus.background_tasks.running` (a meter), `apus.background_tasks.failed` (a
/// counter: tasks that threw) and `apus.background_tasks.drained` (a counter: tasks that
/// finished while a graceful shutdown waited for them).
package final class BackgroundTaskMetrics: Sendable {
    let queued: Counter
    let running: Meter
    let failed: Counter
    let drained: Counter
    /// Set when the app begins to shut down.
    let shuttingDown = ManagedAtomic(false)

    init(factory: any MetricsFactory) {
        self.queued = Counter(label: "apus.background_tasks.queued", factory: factory)
        self.running = Meter(label: "apus.background_tasks.running", factory: factory)
        self.failed = Counter(label: "apus.background_tasks.failed", factory: factory)
        self.drained = Counter(label: "apus.background_tasks.drained", factory: factory)
    }

    /// A task finished (`failed` when it threw).
    func finished(failed: Bool) {
        self.running.decrement()
        if failed { self.failed.increment() }
        if self.shuttingDown.load(ordering: .relaxed) { self.drained.increment() }
    }
}
