import Apus
import ApusTesting
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import Testing

/// WebSocket endpoints through ``TestClient`` (Starlette's `websocket_connect`): in-process,
/// and over a socket with the test client's own NIO WebSocket client.
@Suite("WebSockets through TestClient")
struct WebSocketTests {
    @Test("echo of text, binary and JSON messages; the handler's return closes with 1000", arguments: [TestClient.Mode.inProcess, .live])
    func echo(mode: TestClient.Mode) async throws {
        try await TestClient.run(makeWebSocketApp(), mode: mode) { client in
            try await client.webSocket("/echo") { ws in
                try await ws.send(text: "héllo ✓")
                #expect(try await ws.receiveText() == "héllo ✓")
                try await ws.send(bytes: [0, 1, 255])
                #expect(try await ws.receiveBytes() == ByteBuffer(bytes: [0, 1, 255]))
            }
            try await client.webSocket("/json") { ws in
                try await ws.send(json: #"{"text":"hi","count":2}"#)
                #expect(try await ws.receiveText() == #"{"echo":"hi","total":4}"#)
            }
            try await client.webSocket("/close/none") { ws in
                try await ws.send(text: "bye")
                await #expect(throws: WebSocketDisconnect(code: .normalClosure)) { try await ws.receive() }
            }
        }
    }

    @Test(
        "close codes: the handler's own (1008), an error in the handler (1011, logged), a message too big (1009)",
        arguments: [TestClient.Mode.inProcess, .live])
    func closeCodes(mode: TestClient.Mode) async throws {
        let handler = CapturingLogHandler()
        let app = makeWebSocketApp(logger: .capturing(handler))
        try await TestClient.run(app, mode: mode) { client in
            try await client.webSocket("/close/1008") { ws in
                try await ws.send(text: "bye")
                await #expect(throws: WebSocketDisconnect(code: .policyViolation, reason: "closing with 1008")) { try await ws.receive() }
            }
            try await client.webSocket("/fail") { ws in
                try await ws.send(text: "boom")
                await #expect(throws: WebSocketDisconnect(code: .internalError)) { try await ws.receive() }
            }
            try await client.webSocket("/json") { ws in
                // Fails the model: the handler's validation error closes with 1011.
                try await ws.send(json: #"{"text":"hi"}"#)
                await #expect(throws: WebSocketDisconnect(code: .internalError)) { try await ws.receive() }
            }
            try await client.webSocket("/echo") { ws in
                try await ws.send(bytes: [UInt8](repeating: 1, count: (2 << 20) + 1))
                // Over a socket the 2 MiB message is one frame, over the 1 MiB frame limit.
                let reason = mode == .live ? "frame too big" : "message too big"
                await #expect(throws: WebSocketDisconnect(code: .messageTooBig, reason: reason)) { try await ws.receive() }
            }
        }
        let errors = handler.messages.withLockedValue { $0 }.filter { $0.level == .error }.map(\.message)
        #expect(errors.count == 2)
        #expect(errors.first?.hasPrefix("Unhandled error in WebSocket /fail: ApusTests.HandlerFailure") == true)
    }

    @Test("refusals before accept: WebSocketException's code, invalid parameters as 1008 with FastAPI's errors, an HTTPError as its response")
    func refusals() async throws {
        try await TestClient.run(makeWebSocketApp()) { client in
            await #expect(throws: WebSocketDisconnect(code: .policyViolation, reason: "not welcome")) {
                try await client.webSocket("/reject") { _ in }
            }
            do {
                try await client.webSocket("/rooms/lobby") { _ in }
                Issue.record("accepted without nick")
            } catch let disconnect as WebSocketDisconnect {
                #expect(disconnect.code == .policyViolation)
                #expect(disconnect.reason == #"[{"type":"missing","loc":["query","nick"],"msg":"Field required","input":null}]"#)
            }
            // An HTTPError before accept, and a security scheme refusing as it does for HTTP routes
            // (401 with its challenge): sent as HTTP responses.
            for (path, challenge) in [("/deny", "Bearer"), ("/secure", "APIKey")] {
                do {
                    try await client.webSocket(path) { _ in }
                    Issue.record("\(path) was accepted")
                } catch let denied as WebSocketDenied {
                    #expect(denied.response.status == .unauthorized)
                    #expect(denied.response.headers["www-authenticate"] == [challenge])
                    #expect(denied.response.text == #"{"detail":"Not authenticated"}"#)
                }
            }
            try await client.webSocket("/secure?token=abc") { ws in
                let reply = try await ws.receiveText()
                #expect(reply == "token abc")
            }
            await #expect(throws: WebSocketDisconnect(code: .normalClosure, reason: "No WebSocket route at this path")) {
                try await client.webSocket("/nowhere") { _ in }
            }
            // A WebSocket route is not an HTTP route (as in Starlette).
            let plain = try await client.get("/echo")
            #expect(plain.status == .notFound)
        }
    }

    @Test("parameters, headers, a dependency with teardown after the client leaves, subprotocols", arguments: [TestClient.Mode.inProcess, .live])
    func parametersAndDependencies(mode: TestClient.Mode) async throws {
        let log = EventLog()
        try await TestClient.run(makeWebSocketApp(log: log), mode: mode) { client in
            try await client.webSocket("/rooms/lobby?nick=ann", headers: ["x-client": "swift"]) { ws in
                #expect(try await ws.receiveText() == #"{"client":"swift","nick":"ann","room":"lobby","session":"session-1"}"#)
                try await ws.send(text: "hi")
                #expect(try await ws.receiveText() == "ann@lobby: hi")
                await ws.close(code: .goingAway)
            }
            // Over a socket the handler ends after the close handshake: wait for its teardown.
            try await eventually { log.all.count == 4 }
            #expect(log.all == ["session opened", "handler in lobby", "handler saw 1001", "session closed"])
            try await client.webSocket("/subprotocol", subprotocols: ["chat.v2", "chat.v1"]) { ws in
                #expect(ws.subprotocol == "chat.v2")
                let offered = try await ws.receiveText()
                #expect(offered == "chat.v2,chat.v1")
            }
        }
    }
}

extension WebSocketTests {
    @Test("over a socket every refusal is an HTTP response: 403 with the reason or the errors, a security scheme's 401")
    func liveRefusals() async throws {
        try await TestClient.run(makeWebSocketApp(), mode: .live) { client in
            for (path, status, body) in [
                ("/reject", HTTPResponseStatus.forbidden, #"{"detail":"not welcome"}"#),
                ("/rooms/lobby", .forbidden, #"{"detail":[{"type":"missing","loc":["query","nick"],"msg":"Field required","input":null}]}"#),
                ("/secure", .unauthorized, #"{"detail":"Not authenticated"}"#),
                ("/nowhere", .forbidden, #"{"detail":"No WebSocket route at this path"}"#),
            ] {
                do {
                    try await client.webSocket(path) { _ in }
                    Issue.record("\(path) was accepted")
                } catch let denied as WebSocketDenied {
                    #expect(denied.response.status == status, "\(path)")
                    #expect(denied.response.headers["content-type"] == ["application/json"], "\(path)")
                    #expect(denied.response.text == body, "\(path)")
                }
            }
        }
    }
}

extension WebSocketTests {
    @Test("misuse by a handler is a clear, logged error: a send before accept, an unoffered subprotocol, a second accept")
    func misuse() async throws {
        let handler = CapturingLogHandler()
        try await TestClient.run(makeWebSocketApp(logger: .capturing(handler))) { client in
            for path in ["/misuse/send-first", "/misuse/subprotocol"] {
                await #expect(throws: WebSocketDenied.self) { try await client.webSocket(path) { _ in } }
            }
            try await client.webSocket("/misuse/accept-twice") { ws in
                await #expect(throws: WebSocketDisconnect(code: .internalError)) { try await ws.receive() }
            }
        }
        let errors = handler.messages.withLockedValue { $0 }.filter { $0.level == .error }.map(\.message)
        #expect(errors.count == 3)
        #expect(errors.contains { $0.hasSuffix("/misuse/{what}: the WebSocket must be accepted before it sends or receives messages") })
        #expect(errors.contains { $0.hasSuffix(#"the client did not offer the subprotocol "not-offered""#) })
        #expect(errors.contains { $0.hasSuffix("the WebSocket was already accepted") }, "\(errors)")
    }
}

extension WebSocketTests {
    @Test("the handler runs on the event loop; ThreadPool runs its blocking work per message on the pool", arguments: [TestClient.Mode.inProcess, .live])
    func blockingWork(mode: TestClient.Mode) async throws {
        try await TestClient.run(makeWebSocketApp(), mode: mode) { client in
            try await client.webSocket("/report") { ws in
                try await ws.send(text: "q3")
                let reply = try await ws.receiveText()
                #expect(reply == "Q3 handler-on-loop=true work-off-loop=true")
            }
        }
    }
}

/// Refuses requests that carry `x-block`, as an authentication middleware would.
private struct BlockingMiddleware: Middleware {
    func respond(to request: Request, next: MiddlewareNext) async throws -> Response {
        if request.headers.contains(name: "x-block") { throw HTTPError(.unauthorized, detail: "blocked by middleware") }
        return try await next(request)
    }
}

extension WebSocketTests {
    @Test(
        "middleware sees the upgrade request: the app's (TrustedHost, request id) and the router's can refuse it, their headers go with the 101",
        arguments: [TestClient.Mode.inProcess, .live])
    func middleware(mode: TestClient.Mode) async throws {
        let app = makeApp()
        app.addMiddleware(TrustedHostMiddleware(allowedHosts: ["testserver", "127.0.0.1"]))
        app.addMiddleware(RequestLogMiddleware(logger: Logger(label: "test")))
        let rooms = Router(prefix: "/rooms")
        rooms.addMiddleware(BlockingMiddleware())
        rooms.webSocket("/echo") { ws in
            try await ws.accept()
            for try await message in ws.messages { try await ws.send(message) }
        }
        app.include(rooms)
        try await TestClient.run(app, mode: mode) { client in
            try await client.webSocket("/rooms/echo", headers: ["x-request-id": "abc-123"]) { ws in
                #expect(ws.headers["x-request-id"] == ["abc-123"])
                try await ws.send(text: "through")
                let echoed = try await ws.receiveText()
                #expect(echoed == "through")
            }
            for (headers, status, body) in [
                (["host": "evil.example"] as HTTPHeaders, HTTPResponseStatus.badRequest, "Invalid host header"),
                (["x-block": "1"], .unauthorized, #"{"detail":"blocked by middleware"}"#),
            ] {
                do {
                    try await client.webSocket("/rooms/echo", headers: headers) { _ in }
                    Issue.record("accepted despite the middleware")
                } catch let denied as WebSocketDenied {
                    #expect(denied.response.status == status)
                    #expect(denied.response.text == body)
                    // The request id middleware is outermost: it marks TrustedHost's answer; an error
                    // thrown inside it (the router's middleware) becomes a response after it.
                    #expect(denied.response.headers["x-request-id"].count == (status == .badRequest ? 1 : 0))
                }
            }
        }
    }
}

/// The handshake's own checks, over a raw socket.
@Suite("WebSocket handshake")
struct WebSocketHandshakeTests {
    private func answer(_ headers: String) async throws -> String {
        try await TestClient.run(makeWebSocketApp(), mode: .live) { client in
            let connection = try await client.rawConnection()
            try await connection.send("GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\(headers)\r\n")
            let (text, closed) = try await connection.readUntilClosed(timeout: .seconds(5))
            #expect(closed)
            return text
        }
    }

    @Test("a version other than 13 gets 426 with Sec-WebSocket-Version; a bad key 400; a good one 101 with RFC 6455's accept value")
    func handshakeHeaders() async throws {
        let wrongVersion = try await self.answer("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n")
        #expect(wrongVersion.hasPrefix("HTTP/1.1 426 Upgrade Required\r\n"))
        #expect(wrongVersion.contains("sec-websocket-version: 13\r\n"))
        #expect(wrongVersion.hasSuffix(#"{"detail":"Unsupported WebSocket version"}"#))
        let badKey = try await self.answer("Sec-WebSocket-Key: short\r\nSec-WebSocket-Version: 13\r\n")
        #expect(badKey.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(badKey.hasSuffix(#"{"detail":"Invalid Sec-WebSocket-Key"}"#))

        try await TestClient.run(makeWebSocketApp(), mode: .live) { client in
            let connection = try await client.rawConnection()
            // RFC 6455 section 1.3's example key and accept value.
            try await connection.send(
                "GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
            let head = try await connection.readResponses(1, timeout: .seconds(5))
            #expect(head.hasPrefix("HTTP/1.1 101 Switching Protocols\r\n"))
            #expect(head.lowercased().contains("sec-websocket-accept: s3pplmbitxaq9kygzzhzrbk+xoo=\r\n"))
            await connection.close()
        }
    }
}
