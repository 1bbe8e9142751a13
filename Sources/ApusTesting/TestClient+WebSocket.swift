import Apus
import NIOConcurrencyHelpers
import NIOCore
public import NIOHTTP1
import NIOPosix

extension TestClient {
    /// Opens a WebSocket to `uri`, runs `body` with the session, then closes it (1000) and waits
    /// for the handler to finish, teardowns included (Starlette's `websocket_connect`).
    ///
    /// ```swift
    /// let client = try await TestClient(app)
    /// try await client.webSocket("/rooms/lobby?nick=ann") { ws in
    ///     try await ws.send(text: "hi")
    ///     #expect(try await ws.receiveText() == "ann: hi")
    /// }
    /// ```
    ///
    /// In-process, whole messages pass between the handler and the session without a socket.
    /// In live mode a real socket carries them: NIO's client upgrader, masked frames, pongs to
    /// the server's pings and the closing handshake.
    ///
    /// - Throws: in-process, ``WebSocketDisconnect`` when the handler refused the socket by closing
    ///   it (or its parameters were invalid: 1008 with the errors as JSON in the reason), and
    ///   ``WebSocketDenied`` when it answered with an HTTP response; in live mode every refusal is
    ///   ``WebSocketDenied`` with the HTTP response (403 for a close before accept, as on the wire).
    ///   And what `body` throws.
    public func webSocket<T>(
        _ uri: String, subprotocols: [String] = [], headers: HTTPHeaders = [:],
        _ body: (WebSocketTestSession) async throws -> T
    ) async throws -> T {
        if self.mode == .live { return try await self.liveWebSocket(uri, subprotocols: subprotocols, headers: headers, body) }
        var headers = headers
        if !headers.contains(name: "host") { headers.add(name: "host", value: "testserver") }
        headers.replaceOrAdd(name: "upgrade", value: "websocket")
        headers.replaceOrAdd(name: "connection", value: "upgrade")
        headers.replaceOrAdd(name: "sec-websocket-version", value: "13")
        headers.replaceOrAdd(name: "sec-websocket-key", value: "dGhlIHNhbXBsZSBub25jZQ==")
        if !subprotocols.isEmpty { headers.replaceOrAdd(name: "sec-websocket-protocol", value: subprotocols.joined(separator: ", ")) }
        var request = Request(method: .GET, uri: uri, headers: headers)
        request.client = Self.inProcessClient
        let eventLoop = self.runtime.group.next()
        let pipeline = self.runtime.pipeline
        let executor = self.runtime.executor(for: eventLoop)
        let link = InProcessWebSocketLink(
            handshake: eventLoop.makePromise(), maxMessageSize: self.runtime.configuration.webSocket.maxMessageSize)
        let handlerTask = NIOLockedValueBox<Task<Void, Never>?>(nil)
        eventLoop.execute {
            guard let admission = pipeline.admitWebSocket(request) else {
                // Starlette's router closes an unmatched WebSocket (HTTP 403 on the wire).
                link.reject(.close(.normalClosure, reason: "No WebSocket route at this path"))
                return
            }
            let task = admission.start(link: link, inbox: link.toServer, executor: executor)
            handlerTask.withLockedValue { $0 = task }
        }
        let handshake = try await link.handshake.futureResult.get()
        let waitForHandler: () async -> Void = { await handlerTask.withLockedValue { $0 }?.value }
        switch handshake {
        case .rejected(.close(let code, let reason, _)):
            await waitForHandler()
            throw WebSocketDisconnect(code: code, reason: reason)
        case .rejected(.response(let response)):
            await waitForHandler()
            throw WebSocketDenied(response: TestResponse(status: response.status, headers: response.wireHeaders, body: response.body))
        case .accepted(let subprotocol, let responseHeaders):
            let session = WebSocketTestSession(transport: link.clientEnd, subprotocol: subprotocol, headers: responseHeaders)
            return try await Self.run(session, body, afterClose: waitForHandler)
        }
    }

    /// Runs `body` with the session, then closes it (1000) and runs `afterClose`, also when `body` throws.
    private static func run<T>(
        _ session: WebSocketTestSession, _ body: (WebSocketTestSession) async throws -> T,
        afterClose: () async -> Void = {}
    ) async throws -> T {
        let result: Result<T, any Error>
        do {
            result = .success(try await body(session))
        } catch {
            result = .failure(error)
        }
        await session.close()
        await afterClose()
        return try result.get()
    }

    private func liveWebSocket<T>(
        _ uri: String, subprotocols: [String], headers: HTTPHeaders, _ body: (WebSocketTestSession) async throws -> T
    ) async throws -> T {
        guard let port = self.port, let clientGroup = self.clientGroup else { throw TestClientError.notListening }
        var headers = headers
        if !subprotocols.isEmpty { headers.replaceOrAdd(name: "sec-websocket-protocol", value: subprotocols.joined(separator: ", ")) }
        switch try await LiveWebSocketConnection.open(uri: uri, headers: headers, port: port, group: clientGroup) {
        case .refused(let response):
            throw WebSocketDenied(response: response)
        case .upgraded(let connection, let responseHeaders):
            let session = WebSocketTestSession(
                transport: connection, subprotocol: responseHeaders.first(name: "sec-websocket-protocol"), headers: responseHeaders)
            return try await Self.run(session, body)
        }
    }
}
