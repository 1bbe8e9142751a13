import CoreMetrics

/// WebSockets: `apus.websocket.connections` (a meter: sockets open now, per route),
/// `apus.websocket.messages` (a counter per route and `direction`, `received` or `sent`) and
/// `apus.websocket.closes` (a counter per route and close code).
package final class WebSocketMetrics: Sendable {
    private let open: MetricCache<String, Meter>
    private let messages: MetricCache<[String], Counter>
    private let closes: MetricCache<[String], Counter>

    init(factory: any MetricsFactory) {
        self.open = MetricCache { Meter(label: "apus.websocket.connections", dimensions: [("http.route", $0)], factory: factory) }
        self.messages = MetricCache {
            Counter(label: "apus.websocket.messages", dimensions: [("http.route", $0[0]), ("direction", $0[1])], factory: factory)
        }
        self.closes = MetricCache {
            Counter(label: "apus.websocket.closes", dimensions: [("http.route", $0[0]), ("code", $0[1])], factory: factory)
        }
    }

    func opened(route: String) { self.open[route].increment() }

    func closed(route: String, code: UInt16?) {
        self.open[route].decrement()
        self.closes[[route, code.map(String.init) ?? "none"]].increment()
    }

    func received(route: String) { self.messages[[route, "received"]].increment() }

    func sent(route: String) { self.messages[[route, "sent"]].increment() }
}
