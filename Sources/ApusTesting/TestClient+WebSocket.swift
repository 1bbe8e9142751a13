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
    /// try await client.webSocket("/rooms/lobby?nick=ann") { ws in
    ///     try await ws.send(text: "hi")
    ///     #expect(try await ws.receiveText() == "ann: hi")
    /// }
    /// ```
    ///
    /// Whole messages pass between the handler and the session without a socket, in both modes
    /// (frames, pings and the wire's limits are tested over a socket with a real client).
    ///
    /// - Throws: ``WebSocketDisconnect`` when the handler refused the socket by closing it (or
    ///   its parameters were invalid: 1008 with the errors as JSON in the reason),
    ///   ``WebSocketDenied`` when it answered with an HTTP response, and what `body` throws.
    public func webSocket<T>(
        _ uri: String, subprotocols: [String] = [], headers: HTTPHeaders = [:],
        _ body: (WebSocketTestSession) async throws -> T
    ) async throws -> T {
        var headers = headers
        if !headers.contains(name: "host") { headers.add(name: "host", value: "testserver") }
        headers.replaceOrAdd(name: "upgrade", value: "websocket")
        headers.replaceOrAdd(name: "connection", value: "upgrade")
        headers.replaceOrAdd(name: "sec-websocket-version", value: "13")
        headers.replaceOrAdd(name: "sec-websocket-key", value: "dGhlIHNhbXBsZSBub25jZQ==")
        if !subprotocols.isEmpty { headers.replaceOrAdd(name: "sec-websocket-protocol", value: subprotocols.joined(separator: ", ")) }
        let request = Request(method: .GET, uri: uri, headers: headers)
        let eventLoop = self.runtime.group.next()
        let responder = self.runtime.responder
        let executor = self.runtime.executor(for: eventLoop)
        let link = InProcessWebSocketLink(
            handshake: eventLoop.makePromise(), maxMessageSize: self.runtime.configuration.webSocket.maxMessageSize)
        let handlerTask = NIOLockedValueBox<Task<Void, Never>?>(nil)
        eventLoop.execute {
            guard let (route, parameters) = responder.webSocketRoute(for: request) else {
                // Starlette's router closes an unmatched WebSocket (HTTP 403 on the wire).
                link.reject(.close(.normalClosure, reason: "No WebSocket route at this path"))
                return
            }
            var request = request
            request.pathParameters = parameters
            let task = responder.serveWebSocket(request, route: route, link: link, inbox: link.toServer, executor: executor)
            handlerTask.withLockedValue { $0 = task }
        }
        let handshake = try await link.handshake.futureResult.get()
        let waitForHandler = { await handlerTask.withLockedValue { $0 }?.value }
        switch handshake {
        case .rejected(.close(let code, let reason, _)):
            await waitForHandler()
            throw WebSocketDisconnect(code: code, reason: reason)
        case .rejected(.response(let response)):
            await waitForHandler()
            throw WebSocketDenied(response: TestResponse(status: response.status, headers: response.wireHeaders, body: response.body))
        case .accepted(let subprotocol, let responseHeaders):
            let session = WebSocketTestSession(link: link, subprotocol: subprotocol, headers: responseHeaders)
            do {
                let result = try await body(session)
                session.close()
                await waitForHandler()
                return result
            } catch {
                session.close()
                await waitForHandler()
                throw error
            }
        }
    }
}
