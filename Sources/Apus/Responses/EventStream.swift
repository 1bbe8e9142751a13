public import NIOHTTP1

/// One server-sent event: `data` (several lines allowed), and optionally `event` (its type),
/// `id` and `retry` (the reconnection delay in milliseconds, for the browser's `EventSource`).
public struct ServerSentEvent: Sendable, Equatable {
    public var data: String
    public var event: String?
    public var id: String?
    public var retry: Int?

    /// An event.
    public init(data: String, event: String? = nil, id: String? = nil, retry: Int? = nil) {
        self.data = data
        self.event = event
        self.id = id
        self.retry = retry
    }

    /// An event whose data is `value` as JSON.
    public init<Value: Encodable>(json value: Value, event: String? = nil, id: String? = nil) throws {
        self.init(data: String(decoding: try JSONModelEncoder.encode(value), as: UTF8.self), event: event, id: id)
    }

    /// The event as the `text/event-stream` format writes it; line breaks in `event` and `id`
    /// (which would end the field) become spaces.
    public var text: String {
        func field(_ value: String) -> String {
            String(value.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
        }
        var text = ""
        if let event { text += "event: \(field(event))\n" }
        if let id { text += "id: \(field(id))\n" }
        if let retry { text += "retry: \(retry)\n" }
        for line in self.data.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            text += "data: \(line)\n"
        }
        return text + "\n"
    }
}

/// A `text/event-stream` response (server-sent events) from an `AsyncSequence` of
/// ``ServerSentEvent``: each event is sent as it comes, with backpressure; when no event was
/// sent for `keepAlive`, a comment line (`: keep-alive`) keeps proxies from closing the
/// connection. The stream stops when the sequence ends or the client leaves.
///
/// ```swift
/// app.get("/clock") {
///     EventStream(AsyncStream { continuation in
///         continuation.yield(ServerSentEvent(data: "tick", event: "clock"))
///         continuation.finish()
///     })
/// }
/// ```
public struct EventStream<Events: AsyncSequence & Sendable>: ResponseConvertible where Events.Element == ServerSentEvent {
    let events: Events
    let keepAlive: Duration?

    /// A stream of `events`, with a keep-alive comment after `keepAlive` of silence (`nil`: none).
    public init(_ events: Events, keepAlive: Duration? = .seconds(15)) {
        self.events = events
        self.keepAlive = keepAlive
    }

    /// The event stream (`text/event-stream`) with the route's status.
    public func response(to request: Request, status: HTTPResponseStatus) -> Response {
        let events = self.events
        let keepAlive = self.keepAlive
        var response = Response(
            status: status,
            headers: ["content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", "x-accel-buffering": "no"])
        response.bodyStream = ResponseBodyStream { writer in
            let gate = EventWriter(writer)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await event in events { try await gate.write(event.text) }
                }
                if let keepAlive {
                    group.addTask {
                        while true {
                            try await Task.sleep(for: keepAlive)
                            try await gate.writeKeepAliveIfIdle(since: keepAlive)
                        }
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        }
        return response
    }
}

/// Serializes the writes of the events and the keep-alive comments. A write suspends while
/// it reaches the socket, and the actor takes other calls meanwhile: a write in flight counts
/// as activity, so that no keep-alive is sent while an event is being written.
actor EventWriter {
    private let writer: ResponseBodyWriter
    private var lastWrite = ContinuousClock.now
    private var writesInFlight = 0

    init(_ writer: ResponseBodyWriter) { self.writer = writer }

    func write(_ text: String) async throws {
        self.writesInFlight += 1
        self.lastWrite = .now
        defer {
            self.writesInFlight -= 1
            self.lastWrite = .now
        }
        try await self.writer.write(text)
    }

    func writeKeepAliveIfIdle(since interval: Duration) async throws {
        guard self.writesInFlight == 0, ContinuousClock.now - self.lastWrite >= interval else { return }
        try await self.write(": keep-alive\n\n")
    }
}
