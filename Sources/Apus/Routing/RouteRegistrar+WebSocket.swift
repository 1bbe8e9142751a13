extension RouteRegistrar {
    /// Registers a WebSocket endpoint (FastAPI's `@app.websocket`). The handler gets the
    /// ``WebSocket`` first, then one argument per parameter: `Path`, `Query`, `Header`,
    /// `Cookie`, `Depends` and `Security` read the upgrade request as they read an HTTP request.
    ///
    /// ```swift
    /// app.webSocket("/rooms/{room}", Path<String>("room"), Query<String?>("nick")) { ws, room, nick in
    ///     try await ws.accept()
    ///     for try await message in ws.messages { try await ws.send(message) }
    /// }
    /// ```
    ///
    /// The handler runs on the connection's event loop (it is async and must not block). Invalid
    /// parameters refuse the handshake with close code 1008 (HTTP 403 on the wire); the router's
    /// prefix and dependencies apply. WebSocket routes are not part of the OpenAPI document.
    ///
    /// - Parameters:
    ///   - path: the path template, e.g. `/ws/{room}`.
    ///   - name: the route's name (for logs).
    ///   - dependencies: dependencies run before the handler for their effect.
    ///   - parameters: the handler's inputs after the socket.
    ///   - handler: the endpoint.
    public func webSocket<each P: RequestParameter>(
        _ path: String, name: String? = nil, dependencies: [any DependencyParameter] = [],
        _ parameters: repeat each P,
        handler: @escaping @Sendable (WebSocket, repeat (each P).Value) async throws -> Void
    ) {
        let endpoint = WebSocketEndpoint.make(repeat each parameters, handler: handler)
        let options = RouteOptions(name: name, includeInSchema: false, dependencies: dependencies)
        self.router.add(webSocket: endpoint, path, options)
    }
}
