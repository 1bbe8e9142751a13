/// Entry points into the request pipeline for the micro benchmarks in `Benchmarks/`, which
/// live in their own package and so cannot see `package` symbols. Not API: the SPI may change.
@_spi(Benchmarking)
public struct PipelineProbe: Sendable {
    let pipeline: RequestPipeline

    /// Compiles the routes of `app` as a server would, without event loops or threads.
    public init(_ app: App) throws {
        let (routes, problems) = app.router.snapshot()
        if let problem = problems.first { throw problem }
        self.pipeline = try RequestPipeline(
            routes: routes, defaultBodyLimit: app.configuration.maxBodySize, errorHandlers: [], logger: app.logger,
            pool: BlockingPool(threadCount: 1), defaultHost: "localhost", watchdog: nil)
    }

    /// Routes `request`; `true` when a route matched.
    public func route(_ request: Request) -> Bool {
        if case .route = self.pipeline.lookup(request) { return true }
        return false
    }

    /// Routes `request`, reads its body and validates every parameter, as the server does
    /// before running a handler; returns the number of validation errors (0: the handler would run).
    public func validate(_ request: Request) -> Int {
        guard case .route(let route, let parameters) = self.pipeline.lookup(request) else { return -1 }
        var request = request
        request.pathParameters = parameters
        switch self.pipeline.prepare(request, received: nil, route: route) {
        case .run: return 0
        case .invalid(let errors): return errors.count
        case .rejected: return 1
        }
    }
}

/// Apus's JSON coding, for the micro benchmarks.
@_spi(Benchmarking)
public enum JSONCoding {
    /// Parses and decodes `T`, collecting every error; `nil` when invalid.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) -> T? {
        guard let value = try? JSONParser.parse(bytes) else { return nil }
        guard case .success(let decoded) = JSONModelDecoder.decode(T.self, from: value, at: ["body"]) else { return nil }
        return decoded
    }

    /// Encodes `value` as FastAPI would render it.
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] { try JSONModelEncoder.encode(value) }
}
