import CoreMetrics

/// WebSockets: `apus.websocket.connections` (a meter: sockets open now, per route),
/// `apus.websocket.messages` (a counter per route and `direction`, `received` or `sent`) and
/// `apus.websocket.closes` (a counter per route and close code).
package final class WebSocketMetrics: Sendable {
    /// A route's handles, looked up once per socket (a message costs no lookup).
    struct Route: Sendable {
        let open: Meter
        let received: Counter
        let sent: Counter
    }

    /// One series of the closes.
    struct Close: Hashable, Sendable {
        var route: String
        var code: String
    }

    private let routes: MetricCache<String, Route>
    private let closes: MetricCache<Close, Counter>

    init(factory: any MetricsFactory) {
        self.routes = MetricCache { route in
            Route(
                open: Meter(label: "apus.websocket.connections", dimensions: [("http.route", route)], factory: factory),
                received: Counter(
                    label: "apus.websocket.messages", dimensions: [("http.route", route), ("direction", "received")], factory: factory),
                sent: Counter(label: "apus.websocket.messages", dimensions: [("http.route", route), ("direction", "sent")], factory: factory))
        }
        self.closes = MetricCache {
            Counter(label: "apus.websocket.closes", dimensions: [("http.route", $0.route), ("code", $0.code)], factory: factory)
        }
    }

    /// The handles of the sockets of `route`.
    subscript(route: String) -> Route { self.routes[route] }

    /// A socket of `route` closed with `code` (`nil`: no close code).
    func closed(route: String, code: UInt16?) {
        self.closes[Close(route: route, code: code.map(String.init) ?? "none")].increment()
    }
}
