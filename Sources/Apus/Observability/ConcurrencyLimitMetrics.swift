import CoreMetrics

/// `Depends(..., maxConcurrency:)`: per dependency (`dependency`, its name),
/// `apus.dependency.concurrency.in_use` and `apus.dependency.concurrency.waiting` (meters) and
/// `apus.dependency.concurrency.refused` (a counter: waits that ended in a 503).
package final class ConcurrencyLimitMetrics: Sendable {
    /// One dependency's meters and counter.
    package struct Limit: Sendable {
        let inUse: Meter
        let waiting: Meter
        let refused: Counter
    }

    private let limits: MetricCache<String, Limit>

    init(factory: any MetricsFactory) {
        self.limits = MetricCache { name in
            let dimensions = [("dependency", name)]
            return Limit(
                inUse: Meter(label: "apus.dependency.concurrency.in_use", dimensions: dimensions, factory: factory),
                waiting: Meter(label: "apus.dependency.concurrency.waiting", dimensions: dimensions, factory: factory),
                refused: Counter(label: "apus.dependency.concurrency.refused", dimensions: dimensions, factory: factory))
        }
    }

    subscript(dependency: String) -> Limit { self.limits[dependency] }
}
