/// Prometheus's names for Apus's metrics (OpenTelemetry's names with the units and `_total`
/// that Prometheus's conventions add), and their histogram buckets.
enum PrometheusNaming {
    /// The Prometheus name of the metric labelled `label`: Apus's own by the table, any other
    /// with its dots (and other characters Prometheus refuses) made underscores.
    static func name(for label: String) -> String {
        Self.names[label] ?? Self.identifier(label)
    }

    /// `text` with every character outside `[a-zA-Z0-9_:]` made `_` (and a leading digit prefixed).
    static func identifier(_ text: String) -> String {
        var result = String(
            text.unicodeScalars.map { scalar -> Character in
                scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == ":")
                    ? Character(scalar) : "_"
            })
        if let first = result.unicodeScalars.first, ("0"..."9").contains(first) { result = "_" + result }
        return result
    }

    static let names: [String: String] = [
        "http.server.request.duration": "http_server_request_duration_seconds",
        "http.server.active_requests": "http_server_active_requests",
        "http.server.request.body.size": "http_server_request_body_size_bytes",
        "http.server.response.body.size": "http_server_response_body_size_bytes",
        "apus.blocking_pool.threads.busy": "apus_blocking_pool_threads_busy",
        "apus.blocking_pool.queue.length": "apus_blocking_pool_queue_length",
        "apus.blocking_pool.queue.wait": "apus_blocking_pool_queue_wait_seconds",
        "apus.blocking_pool.shed": "apus_blocking_pool_shed_total",
        "apus.event_loop.lag": "apus_event_loop_lag_seconds",
        "apus.event_loop.stalls": "apus_event_loop_stalls_total",
        "apus.websocket.connections": "apus_websocket_connections",
        "apus.websocket.messages": "apus_websocket_messages_total",
        "apus.websocket.closes": "apus_websocket_closes_total",
        "apus.background_tasks.queued": "apus_background_tasks_queued_total",
        "apus.background_tasks.running": "apus_background_tasks_running",
        "apus.background_tasks.failed": "apus_background_tasks_failed_total",
        "apus.background_tasks.drained": "apus_background_tasks_drained_total",
        "apus.dependency.concurrency.in_use": "apus_dependency_concurrency_in_use",
        "apus.dependency.concurrency.waiting": "apus_dependency_concurrency_waiting",
        "apus.dependency.concurrency.refused": "apus_dependency_concurrency_refused_total",
    ]

    /// Request durations here are tens of microseconds to seconds: OpenTelemetry's buckets
    /// (5 ms to 10 s) with three below them.
    static let requestBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(75), .milliseconds(100), .milliseconds(250), .milliseconds(500), .milliseconds(750),
        .seconds(1), .milliseconds(2500), .seconds(5), .milliseconds(7500), .seconds(10),
    ]

    static let durationBuckets: [String: [Duration]] = [
        "http_server_request_duration_seconds": Self.requestBuckets,
        "apus_blocking_pool_queue_wait_seconds": Self.requestBuckets,
        "apus_event_loop_lag_seconds": [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
        ],
    ]

    /// Body sizes in bytes: 0 to 100 MiB by powers of about 4.
    static let sizeBuckets: [String: [Double]] = [
        "http_server_request_body_size_bytes": Self.bytes,
        "http_server_response_body_size_bytes": Self.bytes,
    ]

    private static let bytes: [Double] = [0, 64, 256, 1024, 4096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216, 104_857_600]
}
