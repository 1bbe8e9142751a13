import Apus
public import NIOCore
import NIOConcurrencyHelpers
public import NIOHTTP1
import NIOPosix

/// Drives an ``App`` in tests, as Starlette's `TestClient` does, with two modes over one API:
///
/// - ``Mode/inProcess``: no socket; each request goes through the app's own pipeline
///   (routing, validation, the handler on its event loop or blocking pool, error mapping)
///   exactly as a decoded HTTP request would.
/// - ``Mode/live``: the app listens on an ephemeral port of 127.0.0.1 and each request is
///   sent over a real TCP connection, through the HTTP codec, limits and timeouts.
///
/// ```swift
/// try await TestClient.run(app) { client in
///     let response = try await client.get("/items/42?q=x")
///     #expect(response.status == .ok)
///     #expect(response.text == #"{"item_id":42,"q":"x"}"#)
/// }
/// ```
public final class TestClient: Sendable {
    /// How requests reach the app.
    public enum Mode: Sendable {
        /// Through the pipeline, without a socket.
        case inProcess
        /// Over a real socket to the app listening on 127.0.0.1.
        case live
    }

    /// The mode of this client.
    public let mode: Mode
    /// The bound port in ``Mode/live`` mode, else `nil`.
    public let port: Int?
    package let runtime: Runtime
    /// The client side's event loops in live mode: NIO's process-wide singleton group, never
    /// shut down, so that stopping the app (and its loops) cannot strand a client that is
    /// still reading its response or cancelling its timeout.
    let clientGroup: MultiThreadedEventLoopGroup?

    /// Starts `app` for testing, running its startup hooks (``shutdown()`` runs the shutdown hooks).
    /// - Throws: ``RouteConfigurationError`` when a route is declared wrongly, a startup hook's error, or a bind error.
    public init(_ app: App, mode: Mode = .inProcess) async throws {
        var configuration = app.configuration
        configuration.host = "127.0.0.1"
        configuration.port = 0
        self.runtime = try app.makeRuntime(configuration: configuration)
        try await self.runtime.lifespan.startup()
        self.mode = mode
        switch mode {
        case .inProcess:
            self.runtime.startWithoutServer()
            self.port = nil
            self.clientGroup = nil
        case .live:
            self.port = try await self.runtime.start()
            self.clientGroup = MultiThreadedEventLoopGroup.singleton
        }
    }

    /// Starts a client, runs `body` with it and shuts the app down, also when `body` throws.
    public static func run<T>(
        _ app: App, mode: Mode = .inProcess, _ body: (TestClient) async throws -> T
    ) async throws -> T {
        let client = try await TestClient(app, mode: mode)
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }

    /// The app's blocking pool, to observe how many sync jobs run and wait.
    public var blockingPool: BlockingPool { self.runtime.pipeline.pool }

    /// Shuts the app down (gracefully: in-flight requests finish).
    public func shutdown() async { await self.runtime.shutdown() }

    // MARK: - Requests

    /// Sends a request and returns the whole response.
    public func request(
        _ method: HTTPMethod, _ uri: String, headers: HTTPHeaders = [:], body: ByteBuffer? = nil
    ) async throws -> TestResponse {
        switch self.mode {
        case .inProcess: return try await self.inProcess(method, uri, headers: headers, body: body)
        case .live:
            guard let port = self.port, let clientGroup = self.clientGroup else { throw TestClientError.notListening }
            return try await LiveHTTPConnection.send(
                method, uri, headers: headers, body: body, port: port, group: clientGroup)
        }
    }

    /// `GET uri`.
    public func get(_ uri: String, headers: HTTPHeaders = [:]) async throws -> TestResponse {
        try await self.request(.GET, uri, headers: headers)
    }

    /// `HEAD uri`.
    public func head(_ uri: String, headers: HTTPHeaders = [:]) async throws -> TestResponse {
        try await self.request(.HEAD, uri, headers: headers)
    }

    /// `DELETE uri`.
    public func delete(_ uri: String, headers: HTTPHeaders = [:]) async throws -> TestResponse {
        try await self.request(.DELETE, uri, headers: headers)
    }

    /// `POST uri` with a JSON body (`content-type: application/json`).
    public func post(_ uri: String, json: String, headers: HTTPHeaders = [:]) async throws -> TestResponse {
        try await self.request(.POST, uri, headers: Self.jsonHeaders(headers), body: ByteBuffer(string: json))
    }

    /// `PUT uri` with a JSON body.
    public func put(_ uri: String, json: String, headers: HTTPHeaders = [:]) async throws -> TestResponse {
        try await self.request(.PUT, uri, headers: Self.jsonHeaders(headers), body: ByteBuffer(string: json))
    }

    /// `PATCH uri` with a JSON body.
    public func patch(_ uri: String, json: String, headers: HTTPHeaders = [:]) async throws -> TestResponse {
        try await self.request(.PATCH, uri, headers: Self.jsonHeaders(headers), body: ByteBuffer(string: json))
    }

    /// `POST uri` with raw bytes and the given headers.
    public func post(_ uri: String, body: ByteBuffer?, headers: HTTPHeaders = [:]) async throws -> TestResponse {
        try await self.request(.POST, uri, headers: headers, body: body)
    }

    /// The client address of in-process requests, as Starlette's `TestClient` gives.
    static let inProcessClient = ClientAddress(host: "testclient", port: 50000)

    static func jsonHeaders(_ headers: HTTPHeaders) -> HTTPHeaders {
        var headers = headers
        if !headers.contains(name: "content-type") { headers.add(name: "content-type", value: "application/json") }
        return headers
    }

    /// The in-process transport: the request goes through the pipeline's own entry, as the
    /// server's connection calls it (admission, body, response), then a streamed body is collected.
    private func inProcess(
        _ method: HTTPMethod, _ uri: String, headers: HTTPHeaders, body: ByteBuffer?
    ) async throws -> TestResponse {
        var request = Request(method: method, uri: uri, headers: Self.inProcessHeaders(headers, body: body))
        request.client = Self.inProcessClient
        let eventLoop = self.runtime.group.next()
        let pipeline = self.runtime.pipeline
        let executor = self.runtime.executor(for: eventLoop)
        let promise = eventLoop.makePromise(of: Response.self)
        eventLoop.execute {
            switch pipeline.admit(request) {
            case .answer(let response):
                promise.succeed(response)
            case .refuse(let refusal):
                refusal.deliver(on: eventLoop, executor: executor) { promise.succeed($0) }
            case .receive(let intake, var request):
                if let refusal = body.flatMap({ intake.receive($0, into: &request) }) ?? intake.finish(request) {
                    intake.discard()
                    refusal.deliver(on: eventLoop, executor: executor) { promise.succeed($0) }
                    return
                }
                _ = intake.respond(to: request, eventLoop: eventLoop, executor: executor) { promise.succeed($0) }
            }
        }
        let response = try await promise.futureResult.get()
        let hasBody = !response.statusForbidsBody && method != .HEAD
        var body = hasBody ? response.body : ByteBuffer()
        if hasBody, let stream = response.bodyStream {
            // A streamed body, collected whole.
            let collected = NIOLockedValueBox(ByteBuffer())
            try await stream.produce(ResponseBodyWriter { piece in
                var piece = piece
                _ = collected.withLockedValue { $0.writeBuffer(&piece) }
            })
            body = collected.withLockedValue { $0 }
        }
        return TestResponse(status: response.status, headers: response.wireHeaders, body: body)
    }

    /// The headers an HTTP client would send: `Host: testserver` (Starlette's) and the body's
    /// `Content-Length`, unless given.
    static func inProcessHeaders(_ headers: HTTPHeaders, body: ByteBuffer?) -> HTTPHeaders {
        var headers = headers
        if !headers.contains(name: "host") { headers.add(name: "host", value: "testserver") }
        if let body, !headers.contains(name: "content-length"), !headers.contains(name: "transfer-encoding") {
            headers.add(name: "content-length", value: String(body.readableBytes))
        }
        return headers
    }
}

/// Why a ``TestClient`` request could not be made.
public enum TestClientError: Error, Sendable {
    /// The live server is not listening.
    case notListening
    /// The connection closed before a whole response arrived.
    case connectionClosed
}
