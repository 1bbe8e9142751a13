import CoreMetrics
import NIOConcurrencyHelpers

/// One WebSocket's place in ``WebSocketMetrics``: counted open from its accept to its first
/// close (the server's, the client's, or the connection's end), once.
package final class WebSocketObserver: Sendable {
    private let metrics: WebSocketMetrics
    private let route: String
    /// The route's handles, looked up once for the socket.
    private let handles: WebSocketMetrics.Route
    private let state = NIOLockedValueBox<(opened: Bool, closed: Bool)>((false, false))

    init(metrics: WebSocketMetrics, route: String) {
        self.metrics = metrics
        self.route = route
        self.handles = metrics[route]
    }

    func opened() {
        let first = self.state.withLockedValue { state in
            defer { state.opened = true }
            return !state.opened
        }
        if first { self.handles.open.increment() }
    }

    /// The socket closed with `code` (`nil`: the connection ended without a close frame).
    func closed(code: UInt16?) {
        let first = self.state.withLockedValue { state in
            defer { state.closed = true }
            return state.opened && !state.closed
        }
        guard first else { return }
        self.handles.open.decrement()
        self.metrics.closed(route: self.route, code: code)
    }

    func received() { self.handles.received.increment() }

    func sent() { self.handles.sent.increment() }
}
