import NIOConcurrencyHelpers

/// Metric handles made once per set of dimension values and kept: making a swift-metrics
/// handle asks the backend (a lock and a lookup in most), which a request should not pay.
final class MetricCache<Key: Hashable & Sendable, Metric: Sendable>: Sendable {
    private let metrics = NIOLockedValueBox<[Key: Metric]>([:])
    private let make: @Sendable (Key) -> Metric

    init(_ make: @escaping @Sendable (Key) -> Metric) { self.make = make }

    /// The handle for `key`, made on first use.
    subscript(key: Key) -> Metric {
        self.metrics.withLockedValue { metrics in
            if let metric = metrics[key] { return metric }
            let metric = self.make(key)
            metrics[key] = metric
            return metric
        }
    }
}
