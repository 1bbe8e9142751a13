import CoreMetrics
import NIOHTTP1

/// OpenTelemetry's HTTP server metrics (semantic conventions 1.x, stable):
/// `http.server.request.duration` (a timer), `http.server.active_requests` (a meter),
/// `http.server.request.body.size` and `http.server.response.body.size` (recorders, bytes).
///
/// Their dimensions are bounded whatever clients send: the method is one of the nine of RFC
/// 9110 and 5789 or `_OTHER`, `http.route` is the route's *template* (absent when no route
/// matched), the status a number from 100 to 599.
package final class HTTPServerMetrics: Sendable {
    /// One series of the request metrics.
    struct Series: Hashable, Sendable {
        var method: String
        var route: String?
        var status: Int
    }

    static let durationLabel = "http.server.request.duration"
    static let activeRequestsLabel = "http.server.active_requests"
    static let requestBodySizeLabel = "http.server.request.body.size"
    static let responseBodySizeLabel = "http.server.response.body.size"

    /// One series' three handles, looked up together (one lock per request, not three).
    struct SeriesMetrics: Sendable {
        let duration: Timer
        let requestBodySize: Recorder
        let responseBodySize: Recorder
    }

    private let series: MetricCache<Series, SeriesMetrics>
    private let active: MetricCache<String, Meter>

    init(factory: any MetricsFactory) {
        self.series = MetricCache { series in
            let dimensions = series.dimensions
            return SeriesMetrics(
                duration: Timer(label: Self.durationLabel, dimensions: dimensions, factory: factory),
                requestBodySize: Recorder(label: Self.requestBodySizeLabel, dimensions: dimensions, aggregate: true, factory: factory),
                responseBodySize: Recorder(label: Self.responseBodySizeLabel, dimensions: dimensions, aggregate: true, factory: factory))
        }
        self.active = MetricCache { method in
            Meter(label: Self.activeRequestsLabel, dimensions: [("http.request.method", method), ("url.scheme", "http")], factory: factory)
        }
    }

    /// The active-requests meter of `method`: a request holds it from its start to its end.
    func activeRequests(method: String) -> Meter {
        self.active[method]
    }

    /// A request answered with `series`' status after `nanoseconds`.
    func record(_ series: Series, nanoseconds: UInt64, requestBytes: Int?, responseBytes: Int?) {
        let metrics = self.series[series]
        metrics.duration.recordNanoseconds(Int64(clamping: nanoseconds))
        if let requestBytes { metrics.requestBodySize.record(requestBytes) }
        if let responseBytes { metrics.responseBodySize.record(responseBytes) }
    }

    /// The method as a metric dimension: a known one, else `_OTHER` (a client must not be able
    /// to make a series per made-up method).
    static func dimension(for method: HTTPMethod) -> String {
        switch method {
        case .GET, .HEAD, .POST, .PUT, .DELETE, .CONNECT, .OPTIONS, .TRACE, .PATCH: return method.rawValue
        default: return "_OTHER"
        }
    }
}

extension HTTPServerMetrics.Series {
    /// OpenTelemetry's names; `error.type` is the status code of a 5xx answer (the
    /// conventions' rule for a server that answered), `http.route` only when a route matched.
    var dimensions: [(String, String)] {
        var dimensions = [("http.request.method", self.method), ("url.scheme", "http")]
        if let route { dimensions.append(("http.route", route)) }
        dimensions.append(("http.response.status_code", String(self.status)))
        if self.status >= 500 { dimensions.append(("error.type", String(self.status))) }
        return dimensions
    }
}
