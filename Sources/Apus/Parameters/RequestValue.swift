/// A parameter Apus gives the handler rather than reading it from the request's data: the
/// request itself, its background tasks, the blocking pool, the security scopes in effect.
/// Written with a leading dot in a parameter list, each a marker of its own type, never a
/// value that could be used by mistake:
///
/// ```swift
/// app.get("/agent", .request) { request in request.headers.first(name: "user-agent") ?? "" }
/// app.post("/orders", Body<Order>(), .backgroundTasks) { order, tasks in
///     tasks.add { try mailer.confirm(order) }
///     return order
/// }
/// ```
public struct RequestValue<Value: Sendable>: RequestParameter {
    /// The parameter's description (not documented in OpenAPI: it is no request data).
    @_documentation(visibility: internal)
    public let info: ParameterInfo
    private let read: @Sendable (ExtractionContext) -> Value

    init(name: String, read: @escaping @Sendable (ExtractionContext) -> Value) {
        self.init(info: ParameterInfo(location: .other, name: name, isRequired: false), read: read)
    }

    init(info: ParameterInfo, read: @escaping @Sendable (ExtractionContext) -> Value) {
        self.info = info
        self.read = read
    }

    @_documentation(visibility: internal)
    public func extract(from context: ExtractionContext) -> Value? { self.read(context) }
}

extension RequestParameter where Self == RequestValue<Request> {
    /// The whole request, like a FastAPI parameter annotated `request: Request`.
    ///
    /// ```swift
    /// app.get("/echo", .request) { request in PlainText("\(request.method) \(request.path)") }
    /// ```
    public static var request: RequestValue<Request> { RequestValue(name: "request") { $0.request } }
}

extension RequestParameter where Self == RequestValue<RequestBodyStream> {
    /// The request body as it arrives (FastAPI's `request.stream()`): the handler starts once
    /// the head arrived, and the connection reads only as fast as the handler does. The route's
    /// `bodyLimit` applies (raise it for large uploads); no other body parameter can be declared
    /// beside it. Documented as an `application/octet-stream` body.
    ///
    /// ```swift
    /// app.put("/uploads/{name}", bodyLimit: 4 << 30, Path<String>("name"), .bodyStream) { name, body async throws in
    ///     var size = 0
    ///     for try await chunk in body { size += chunk.readableBytes }
    ///     return ["name": name, "size": "\(size)"]
    /// }
    /// ```
    public static var bodyStream: RequestValue<RequestBodyStream> {
        var info = ParameterInfo(location: .body, name: "body", isRequired: true)
        info.streamsBody = true
        info.schema = { _ in ["type": "string", "format": "binary"] }
        return RequestValue(info: info) { context in
            if case .stream(let stream) = context.body { return stream }
            return .empty
        }
    }
}

extension RequestParameter where Self == RequestValue<ResponseChanges> {
    /// The response's status, headers and cookies, for the handler (or a dependency) to
    /// change while it returns a model (FastAPI's `response: Response` parameter).
    ///
    /// ```swift
    /// app.get("/visit", .response) { response async throws in
    ///     try response.setCookie("seen", "1", maxAge: 86_400)
    ///     return ["welcome": true]
    /// }
    /// ```
    public static var response: RequestValue<ResponseChanges> {
        RequestValue(name: "response") { $0.requireResponseChanges() }
    }
}

extension RequestParameter where Self == RequestValue<BackgroundTasks> {
    /// The request's ``BackgroundTasks``: work to run after the response is sent.
    public static var backgroundTasks: RequestValue<BackgroundTasks> {
        RequestValue(name: "background_tasks") { $0.requireScope().backgroundTasks }
    }
}

extension RequestParameter where Self == RequestValue<ThreadPool> {
    /// The app's blocking pool (``ThreadPool``), for blocking work inside an async handler.
    public static var threadPool: RequestValue<ThreadPool> {
        RequestValue(name: "thread_pool") { ThreadPool(pool: $0.services.pool) }
    }
}

extension RequestParameter where Self == RequestValue<SecurityScopes> {
    /// The scopes required by every ``Security`` use above the dependency that declares this
    /// parameter (FastAPI's `SecurityScopes`).
    public static var securityScopes: RequestValue<SecurityScopes> {
        RequestValue(name: "security_scopes") { SecurityScopes(scopes: $0.securityScopes) }
    }
}
