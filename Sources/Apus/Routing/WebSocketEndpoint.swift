/// A WebSocket route's handler compiled at registration: its parameters and a function that
/// reads them from the upgrade request and, when they are all valid, returns the work to run.
package struct WebSocketEndpoint: Sendable {
    /// The handler, ready to run with the socket.
    package enum Work: Sendable {
        /// No dependencies: the handler alone.
        case direct(@Sendable (WebSocket) async throws -> Void)
        /// Dependencies first (with teardowns after the handler), then the handler.
        case orchestrated(RequestScope, @Sendable (RequestScope, WebSocket) async throws -> Void)
    }

    package let parameters: [ParameterInfo]
    /// Reads the parameters; `nil` when any recorded an error in the context.
    package let prepare: @Sendable (ExtractionContext) -> Work?

    /// Compiles a handler taking the socket and one argument per parameter.
    package static func make<each P: RequestParameter>(
        _ parameters: repeat each P,
        handler: @escaping @Sendable (WebSocket, repeat (each P).Value) async throws -> Void
    ) -> WebSocketEndpoint {
        var infos: [ParameterInfo] = []
        for parameter in repeat each parameters { infos.append(parameter.info) }
        return WebSocketEndpoint(parameters: infos) { context in
            let (values, keys) = context.extracting { (repeat (each parameters).extract(from: context)) }
            guard let keys else { return nil }
            guard let scope = context.scope else {
                return .direct { socket in try await handler(socket, repeat try unwrapExtracted(each values)) }
            }
            let steps = context.steps
            return .orchestrated(scope) { scope, socket in
                try await scope.resolve(steps)
                let cursor = ArgumentCursor(keys: keys, scope: scope)
                try await handler(socket, repeat try cursor.argument(each parameters, each values))
            }
        }
    }
}
