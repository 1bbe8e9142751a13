package import NIOHTTP1
import NIOCore

/// A route's handler compiled at registration: its parameters' descriptions and a function
/// that reads them from a request and, when they are all valid, returns the work to run.
package struct Endpoint: Sendable {
    /// How the handler runs: FastAPI's `async def` and `def`.
    package enum Work: Sendable {
        /// An async handler, run as a task on the connection's event loop. Each case gets the
        /// request it answers (for a response type that reads it: ``ResponseConvertible``).
        case async(@Sendable (Request) async throws -> Response)
        /// A sync handler, run on the blocking pool.
        case sync(@Sendable (Request) throws -> Response)
        /// A handler with dependencies or background tasks: run as a task on the event loop
        /// that runs the dependencies, then the handler (hopping to the pool for sync ones).
        case orchestrated(RequestScope, @Sendable (RequestScope, Request) async throws -> Response)
    }

    package let parameters: [ParameterInfo]
    package let isAsync: Bool
    /// The success response in the OpenAPI document, from the handler's return type.
    package var response: ResponseDocumentation = ResponseDocumentation(content: .none)
    /// A handler whose return type cannot be a response, reported at registration.
    package var outputProblem: String? = nil
    /// Reads the parameters; `nil` when any recorded an error in the context.
    package let prepare: @Sendable (ExtractionContext) -> Work?

    package var hasBody: Bool { self.parameters.flattened.contains { $0.location == .body } }
    /// FastAPI embeds bodies by name when a route has more than one (its dependencies' included).
    package var embedBodies: Bool { self.parameters.flattened.filter { $0.location == .body && $0.formMediaType == nil }.count > 1 }

    /// Compiles an async handler.
    package static func async<each P: RequestParameter, Output: Sendable>(
        _ parameters: repeat each P, options: RouteOptions,
        handler: @escaping @Sendable (repeat (each P).Value) async throws -> Output
    ) -> Endpoint {
        let encode = ResponseEncoding.encoder(for: Output.self, status: options.status, shape: options.responseShape)
        var infos: [ParameterInfo] = []
        for parameter in repeat each parameters { infos.append(parameter.info) }
        return Endpoint(parameters: infos, isAsync: true, response: .of(Output.self, model: options.responseModel),
            outputProblem: ResponseEncoding.problem(with: Output.self)) { context in
            let (values, keys) = context.extracting { (repeat (each parameters).extract(from: context)) }
            guard let keys else { return nil }
            let changes = context.responseChanges
            let tracer = context.tracer
            guard let scope = context.scope else {
                guard let tracer else {
                    return .async { request in
                        changed(try encode(try await handler(repeat try unwrapExtracted(each values)), request), by: changes)
                    }
                }
                return .async { request in
                    let output = try await traced(tracer, "handler") { try await handler(repeat try unwrapExtracted(each values)) }
                    return changed(try tracedSync(tracer, "encode response") { try encode(output, request) }, by: changes)
                }
            }
            let steps = context.steps
            return .orchestrated(scope) { scope, request in
                try await scope.resolve(steps)
                let cursor = ArgumentCursor(keys: keys, scope: scope)
                let output = try await traced(tracer, "handler") { try await handler(repeat try cursor.argument(each parameters, each values)) }
                try await scope.closeFunctionScope()
                return changed(try tracedSync(tracer, "encode response") { try encode(output, request) }, by: changes)
            }
        }
    }

    /// Compiles a sync handler.
    package static func sync<each P: RequestParameter, Output: Sendable>(
        _ parameters: repeat each P, options: RouteOptions,
        handler: @escaping @Sendable (repeat (each P).Value) throws -> Output
    ) -> Endpoint {
        let encode = ResponseEncoding.encoder(for: Output.self, status: options.status, shape: options.responseShape)
        var infos: [ParameterInfo] = []
        for parameter in repeat each parameters { infos.append(parameter.info) }
        return Endpoint(parameters: infos, isAsync: false, response: .of(Output.self, model: options.responseModel),
            outputProblem: ResponseEncoding.problem(with: Output.self)) { context in
            let (values, keys) = context.extracting { (repeat (each parameters).extract(from: context)) }
            guard let keys else { return nil }
            let changes = context.responseChanges
            let tracer = context.tracer
            guard let scope = context.scope else {
                guard let tracer else {
                    return .sync { request in changed(try encode(try handler(repeat try unwrapExtracted(each values)), request), by: changes) }
                }
                return .sync { request in
                    let output = try tracedSync(tracer, "handler") { try handler(repeat try unwrapExtracted(each values)) }
                    return changed(try tracedSync(tracer, "encode response") { try encode(output, request) }, by: changes)
                }
            }
            let steps = context.steps
            return .orchestrated(scope) { scope, request in
                try await scope.resolve(steps)
                let output = try await traced(tracer, "handler") {
                    try await scope.runSync {
                        let cursor = ArgumentCursor(keys: keys, scope: scope)
                        return try handler(repeat try cursor.argument(each parameters, each values))
                    }
                }
                try await scope.closeFunctionScope()
                return changed(try tracedSync(tracer, "encode response") { try encode(output, request) }, by: changes)
            }
        }
    }
}

extension RouteOptions {
    /// What the route leaves out of its JSON responses, and the model it converts them to.
    var responseShape: ResponseShape {
        ResponseShape(exclusions: self.responseExclude, fields: self.responseFields, model: self.responseModel)
    }
}

/// `response` with what the handler changed through `.response`, if it asked for it.
@inline(__always)
func changed(_ response: Response, by changes: ResponseChanges?) -> Response {
    guard let changes else { return response }
    var response = response
    changes.apply(to: &response)
    return response
}
