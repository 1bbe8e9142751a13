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
/// ``ServerSentEvent``s, or of models whose JSON is each event's `data` (FastAPI's
/// `EventSourceResponse` with a generator of models): each event is sent as it comes, with
/// backpressure; when no event was sent for `keepAlive`, a comment line (`: keep-alive`) keeps
/// proxies from closing the connection. The stream stops when the sequence ends or the client
/// leaves. The OpenAPI document describes the events as FastAPI 0.135 does (`itemSchema`,
/// with the model as the `data`'s `contentSchema`).
///
/// ```swift
/// app.get("/clock") {
///     EventStream(AsyncStream { continuation in
///         continuation.yield(ServerSentEvent(data: "tick", event: "clock"))
///         continuation.finish()
///     })
/// }
///
/// struct Tick: Codable, Sendable { var count: Int }
///
/// // A browser's EventSource sends Last-Event-ID when it reconnects: resume after it.
/// app.get("/ticks", Header<Int?>("last-event-id")) { lastID in
///     EventStream(AsyncStream { continuation in
///         for count in (lastID ?? 0) + 1...(lastID ?? 0) + 3 { continuation.yield(Tick(count: count)) }
///         continuation.finish()
///     })
/// }
/// ```
public struct EventStream<Events: AsyncSequence & Sendable>: ResponseConvertible where Events.Element: Sendable {
    let events: Events
    let keepAlive: Duration?
    let event: @Sendable (Events.Element) throws -> ServerSentEvent

    /// A stream of `events`, with a keep-alive comment after `keepAlive` of silence (`nil`: none).
    public init(_ events: Events, keepAlive: Duration? = .seconds(15)) where Events.Element == ServerSentEvent {
        self.events = events
        self.keepAlive = keepAlive
        self.event = { $0 }
    }

    /// A stream of models, each sent as an event whose `data` is its JSON, with a keep-alive
    /// comment after `keepAlive` of silence (`nil`: none).
    public init(_ events: Events, keepAlive: Duration? = .seconds(15)) where Events.Element: Encodable {
        self.events = events
        self.keepAlive = keepAlive
        self.event = { try ServerSentEvent(json: $0) }
    }

    /// The event stream (`text/event-stream`) with the route's status.
    public func response(to request: Request, status: HTTPResponseStatus) -> Response {
        let events = self.events
        let keepAlive = self.keepAlive
        let event = self.event
        var response = Response(
            status: status,
            headers: ["content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", "x-accel-buffering": "no"])
        response.bodyStream = ResponseBodyStream { writer in
            let gate = EventWriter(writer)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await element in events { try await gate.write(try event(element).text) }
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

extension EventStream: DocumentedResponse {
    /// OpenAPI 3.2's event schema (its section on server-sent events), as FastAPI writes it:
    /// for a stream of models, `data` is their JSON (`contentSchema`) and required.
    static var responseDocumentation: ResponseDocumentation {
        ResponseDocumentation(
            content: .items(mediaType: "text/event-stream") { components in
                var data: JSONValue = ["type": "string"]
                let typed = Events.Element.self != ServerSentEvent.self
                if typed {
                    data.set("contentMediaType", "application/json")
                    data.set("contentSchema", components.schema(for: Events.Element.self))
                }
                var schema: JSONValue = [
                    "type": "object",
                    "properties": ["data": data, "event": ["type": "string"], "id": ["type": "string"], "retry": ["type": "integer", "minimum": 0]],
                ]
                if typed { schema.set("required", ["data"]) }
                return schema
            })
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
