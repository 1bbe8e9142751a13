import NIOConcurrencyHelpers

/// One WebSocket's place in ``WebSocketMetrics``: counted open from its accept to its first
/// close (the server's, the client's, or the connection's end), once.
package final class WebSocketObserver: Sendable {
    private let metrics: WebSocketMetrics
    private let route: String
    private let state = NIOLockedValueBox<(opened: Bool, closed: Bool)>((false, false))

    init(metrics: WebSocketMetrics, route: String) {
        self.metrics = metrics
        self.route = route
    }

    func opened() {
        let first = self.state.withLockedValue { state in
            defer { state.opened = true }
            return !state.opened
        }
        if first { self.metrics.opened(route: self.route) }
    }

    /// The socket closed with `code` (`nil`: the connection ended without a close frame).
    func closed(code: UInt16?) {
        let first = self.state.withLockedValue { state in
            defer { state.closed = true }
            return state.opened && !state.closed
        }
        if first { self.metrics.closed(route: self.route, code: code) }
    }

    func received() { self.metrics.received(route: self.route) }

    func sent() { self.metrics.sent(route: self.route) }
}
