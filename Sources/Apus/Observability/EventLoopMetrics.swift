import CoreMetrics

/// The event loops' health: `apus.event_loop.lag` (a timer: how late each loop ran the
/// watchdog's heartbeat) and `apus.event_loop.stalls` (a counter per route: the stalls the
/// watchdog detected, with the route whose async handler was running, `http.route` and
/// `http.request.method`, or `unknown`).
package final class EventLoopMetrics: Sendable {
    let lag: Timer
    private let stalls: MetricCache<String, Counter>

    init(factory: any MetricsFactory) {
        self.lag = Timer(label: "apus.event_loop.lag", factory: factory)
        self.stalls = MetricCache { name in
            // Route names are "GET /items/{item_id}".
            let parts = name.split(separator: " ", maxSplits: 1).map(String.init)
            let dimensions = parts.count == 2 ? [("http.request.method", parts[0]), ("http.route", parts[1])] : [("http.route", "unknown")]
            return Counter(label: "apus.event_loop.stalls", dimensions: dimensions, factory: factory)
        }
    }

    /// The watchdog found a loop stalled while `route` (a route name, or `nil`) ran.
    func stalled(running route: String?) {
        self.stalls[route ?? "unknown"].increment()
    }
}
