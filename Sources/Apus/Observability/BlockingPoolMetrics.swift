import CoreMetrics

/// The blocking pool's saturation, which no peer can show: `apus.blocking_pool.threads.busy`
/// and `apus.blocking_pool.queue.length` (meters), `apus.blocking_pool.queue.wait` (a timer:
/// how long a job waited for a thread) and `apus.blocking_pool.shed` (a counter: requests
/// answered 503 because the queue was full).
package final class BlockingPoolMetrics: Sendable {
    let busyThreads: Meter
    let queueLength: Meter
    let queueWait: Timer
    let shed: Counter

    init(factory: any MetricsFactory) {
        self.busyThreads = Meter(label: "apus.blocking_pool.threads.busy", factory: factory)
        self.queueLength = Meter(label: "apus.blocking_pool.queue.length", factory: factory)
        self.queueWait = Timer(label: "apus.blocking_pool.queue.wait", factory: factory)
        self.shed = Counter(label: "apus.blocking_pool.shed", factory: factory)
    }
}
