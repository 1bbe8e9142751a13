public import Apus
import CoreMetrics
import NIOCore
public import Prometheus

extension App {
    /// Measures the app with swift-prometheus and serves the metrics at `path` in Prometheus's
    /// text format (left out of the OpenAPI document), for a Prometheus server to scrape.
    ///
    /// ```swift
    /// import ApusPrometheus
    ///
    /// let app = App(title: "Inventory")
    /// app.metrics(at: "/metrics")
    /// ```
    ///
    /// Apus's metrics get Prometheus's names: dots become underscores, durations end in
    /// `_seconds`, sizes in `_bytes` and counters in `_total` (`http.server.request.duration`
    /// is `http_server_request_duration_seconds`); docs/observability.md lists them. The app's
    /// own swift-metrics metrics join them when `MetricsSystem` is bootstrapped with the same
    /// registry (`MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))`).
    /// - Parameters:
    ///   - path: where the metrics are served.
    ///   - registry: the registry the metrics live in (a new one by default).
    /// - Returns: the registry.
    @discardableResult
    public func metrics(at path: String = "/metrics", registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) -> PrometheusCollectorRegistry {
        self.telemetry.metrics = PrometheusMetricsFactory.apus(registry: registry)
        self.get(path, includeInSchema: false) { () async -> Response in
            var text: [UInt8] = []
            text.reserveCapacity(16_384)
            registry.emit(into: &text)
            return Response(
                status: .ok, headers: ["content-type": "text/plain; version=0.0.4; charset=utf-8"], body: ByteBuffer(bytes: text))
        }
        return registry
    }
}

extension PrometheusMetricsFactory {
    /// A factory for `registry` with Apus's metrics named and bucketed for Prometheus.
    ///
    /// ```swift
    /// import ApusPrometheus
    /// import Metrics
    /// import Prometheus
    ///
    /// let registry = PrometheusCollectorRegistry()
    /// MetricsSystem.bootstrap(PrometheusMetricsFactory.apus(registry: registry))
    /// ```
    public static func apus(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = { name, labels in
            (PrometheusNaming.name(for: name), labels.map { (PrometheusNaming.identifier($0.0), $0.1) })
        }
        for (name, buckets) in PrometheusNaming.durationBuckets { factory.durationHistogramBuckets[name] = buckets }
        for (name, buckets) in PrometheusNaming.sizeBuckets { factory.valueHistogramBuckets[name] = buckets }
        return factory
    }
}
