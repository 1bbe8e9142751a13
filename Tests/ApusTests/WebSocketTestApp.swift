import Apus
import NIOConcurrencyHelpers
import NIOCore
import Logging
import NIOHTTP1
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// What the WebSocket test app's handlers report, read over HTTP at `/stats` by the Python client.
final class WebSocketStats: Sendable {
    private let state = NIOLockedValueBox((floodSentBytes: 0, cancelled: 0))
    func sent(_ bytes: Int) { self.state.withLockedValue { $0.floodSentBytes += bytes } }
    func cancelledOne() { self.state.withLockedValue { $0.cancelled += 1 } }
    var floodSentBytes: Int { self.state.withLockedValue { $0.floodSentBytes } }
    var cancelled: Int { self.state.withLockedValue { $0.cancelled } }
}

struct ChatIn: Codable, Sendable {
    var text: String
    var count: Int
}

struct ChatOut: Codable, Sendable {
    var echo: String
    var total: Int
}

struct HandlerFailure: Error {}

/// The endpoints the WebSocket tests drive, in-process and over a socket with Python's `websockets`.
///
/// No pings unless a test asks (`pingInterval`): with the 500 ms ping timeout the liveness
/// checks need, a client starved of CPU for 0.8 s on a loaded machine (tests run in parallel)
/// would be dropped as vanished, and a test of something else would see 1006.
func makeWebSocketApp(
    stats: WebSocketStats = WebSocketStats(), log: EventLog = EventLog(), logger: Logger? = nil,
    pingInterval: TimeAmount? = nil
) -> App {
    let app = makeApp({ configuration in
        configuration.webSocket.maxMessageSize = 2 << 20
        configuration.webSocket.maxFrameSize = 1 << 20
        configuration.webSocket.pingInterval = pingInterval
        configuration.webSocket.pingTimeout = .milliseconds(500)
        configuration.shutdownGracePeriod = .seconds(3)
    }, logger: logger)
    app.webSocket("/echo") { ws in
        try await ws.accept()
        for try await message in ws.messages { try await ws.send(message) }
    }
    app.webSocket("/json") { ws in
        try await ws.accept()
        while true {
            let message = try await ws.receiveJSON(ChatIn.self)
            try await ws.sendJSON(ChatOut(echo: message.text, total: message.count * 2))
        }
    }
    app.webSocket("/close/{code}", Path<String>("code")) { ws, code in
        try await ws.accept()
        _ = try await ws.receive()
        if let number = UInt16(code) { ws.close(code: WebSocketCloseCode(rawValue: number), reason: "closing with \(number)") }
    }
    app.webSocket("/fail") { ws in
        try await ws.accept()
        _ = try await ws.receive()
        throw HandlerFailure()
    }
    app.webSocket("/reject") { ws in
        throw WebSocketException(code: .policyViolation, reason: "not welcome")
    }
    app.webSocket("/deny") { _ in
        throw HTTPError(.unauthorized, detail: "Not authenticated", headers: ["www-authenticate": "Bearer"])
    }
    app.webSocket("/secure", APIKeyQuery(name: "token")) { ws, token in
        try await ws.accept()
        try await ws.send(text: "token \(token)")
    }
    app.webSocket("/subprotocol") { ws in
        try await ws.accept(subprotocol: ws.requestedSubprotocols.first)
        try await ws.send(text: ws.requestedSubprotocols.joined(separator: ","))
    }
    let session = Dependency(
        name: "session",
        setUp: { () async -> String in
            log.add("session opened")
            return "session-1"
        },
        tearDown: { _, error async in log.add("session closed\(error == nil ? "" : " after an error")") })
    app.webSocket(
        "/rooms/{room}", Path<String>("room"), Query<String>("nick"), Header<String?>("x-client"), Depends(session)
    ) { ws, room, nick, client, session in
        try await ws.accept()
        log.add("handler in \(room)")
        try await ws.sendJSON(["room": room, "nick": nick, "client": client ?? "-", "session": session])
        for try await message in ws.messages {
            if case .text(let text) = message { try await ws.send(text: "\(nick)@\(room): \(text)") }
        }
        log.add("handler saw \(ws.disconnect?.code.rawValue ?? 0)")
    }
    app.webSocket("/flood") { ws in
        try await ws.accept()
        let chunk = ByteBuffer(repeating: UInt8(ascii: "a"), count: 64 << 10)
        while true {
            try await ws.send(bytes: chunk)
            stats.sent(chunk.readableBytes)
        }
    }
    app.webSocket("/sleepy") { ws in
        // Reads nothing for 1.5 s, then counts the binary messages until "done".
        try await ws.accept()
        try await Task.sleep(nanoseconds: 1_500_000_000)
        var count = 0
        while case .binary = try await ws.receive() { count += 1 }
        try await ws.send(text: "\(count)")
    }
    app.webSocket("/misuse/{what}", Path<String>("what")) { ws, what in
        switch what {
        case "send-first": try await ws.send(text: "too early")
        case "subprotocol": try await ws.accept(subprotocol: "not-offered")
        default:
            try await ws.accept()
            try await ws.accept()
        }
    }
    app.webSocket("/report", .threadPool) { ws, pool in
        try await ws.accept()
        let onLoop = MultiThreadedEventLoopGroup.currentEventLoop != nil
        for try await message in ws.messages {
            guard case .text(let text) = message else { continue }
            // Blocking work per message, on the app's pool.
            let (upper, offLoop) = try await pool.run { () -> (String, Bool) in
                usleep(20_000)
                return (text.uppercased(), MultiThreadedEventLoopGroup.currentEventLoop == nil)
            }
            try await ws.send(text: "\(upper) handler-on-loop=\(onLoop) work-off-loop=\(offLoop)")
        }
    }
    app.webSocket("/hold") { ws in
        try await ws.accept()
        do {
            while true { _ = try await ws.receive() }
        } catch {
            if Task.isCancelled { stats.cancelledOne() }
            throw error
        }
    }
    app.get("/stats") { () -> [String: Int] in
        ["flood_sent_bytes": stats.floodSentBytes, "cancelled": stats.cancelled]
    }
    return app
}
