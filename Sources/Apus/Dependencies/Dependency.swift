/// A dependency: a function whose inputs are declared like a handler's (``Path``, ``Query``,
/// ``Header``, ``Cookie``, ``Body``, ``Request``, other ``Depends``...), run before the
/// handlers that use it through ``Depends`` (FastAPI's `Depends(f)`).
///
/// ```swift
/// let pagination = Dependency(Query<Int>("skip", default: 0), Query<Int>("limit", default: 10)) { skip, limit in
///     Page(skip: skip, limit: limit)
/// }
/// app.get("/items", Depends(pagination)) { page in try store.items(page) }
/// ```
///
/// The concurrency rule of handlers holds: a closure without `await` runs on the blocking
/// pool (FastAPI's `def` dependency), an `async` one on the connection's event loop. Its
/// parameters are validated with the handler's, in the same single 422; it runs only when
/// the whole request is valid. Used several times in one request (directly or through
/// other dependencies), it runs once and every user gets the same value, unless a use says
/// `useCache: false`.
///
/// A dependency with `tearDown:` provides a value and a teardown run after the handler (after
/// the response was sent when the handler succeeded), in reverse order of setup, FastAPI's
/// `yield` dependencies. The teardown receives the error the handler (or a later dependency)
/// threw, if any: it can roll back, and it can throw another error to replace it (an
/// ``HTTPError`` becomes the response). When it returns normally the original error goes on.
///
/// ```swift
/// let session = Dependency(name: "session", setUp: { try database.openSession() }) { session, error in
///     if error == nil { try session.commit() } else { session.rollback() }
///     session.close()
/// }
/// ```
public final class Dependency<Value: Sendable>: Sendable {
    /// A name for error messages.
    public let name: String
    /// The dependency's own parameters, for validation and the OpenAPI document.
    package let parameters: [ParameterInfo]
    /// Whether the function runs on the event loop (`async`) or the blocking pool.
    package let isAsync: Bool
    /// Whether it has a teardown (`tearDown:`).
    package let hasTeardown: Bool
    /// Reads the parameters; the step to run when they are valid (`nil` when one recorded an error).
    let prepare: @Sendable (ExtractionContext) -> DependencyStep?

    private init(
        name: String, parameters: [ParameterInfo], isAsync: Bool, hasTeardown: Bool = false,
        prepare: @escaping @Sendable (ExtractionContext) -> DependencyStep?
    ) {
        self.name = name
        self.parameters = parameters
        self.isAsync = isAsync
        self.hasTeardown = hasTeardown
        self.prepare = prepare
    }

    /// An async dependency: runs on the connection's event loop and must not block.
    public init<each P: RequestParameter>(
        name: String? = nil, _ parameters: repeat each P,
        resolve: @escaping @Sendable (repeat (each P).Value) async throws -> Value
    ) {
        var infos: [ParameterInfo] = []
        for parameter in repeat each parameters { infos.append(parameter.info) }
        self.name = name ?? "Dependency<\(Value.self)>"
        self.parameters = infos
        self.isAsync = true
        self.hasTeardown = false
        self.prepare = { context in
            let (values, keys) = context.extracting { (repeat (each parameters).extract(from: context)) }
            guard let keys else { return nil }
            return DependencyStep { scope in
                let cursor = ArgumentCursor(keys: keys, scope: scope)
                return try await resolve(repeat try cursor.argument(each parameters, each values))
            }
        }
    }

    /// A sync dependency: runs on the blocking pool, so blocking calls are fine.
    public init<each P: RequestParameter>(
        name: String? = nil, _ parameters: repeat each P,
        resolve: @escaping @Sendable (repeat (each P).Value) throws -> Value
    ) {
        var infos: [ParameterInfo] = []
        for parameter in repeat each parameters { infos.append(parameter.info) }
        self.name = name ?? "Dependency<\(Value.self)>"
        self.parameters = infos
        self.isAsync = false
        self.hasTeardown = false
        self.prepare = { context in
            let (values, keys) = context.extracting { (repeat (each parameters).extract(from: context)) }
            guard let keys else { return nil }
            return DependencyStep { scope in
                let cursor = ArgumentCursor(keys: keys, scope: scope)
                return try await scope.runSync { try resolve(repeat try cursor.argument(each parameters, each values)) }
            }
        }
    }

    /// A dependency with a teardown; `setUp` and `tearDown` each run on the event loop when
    /// `async`, on the blocking pool otherwise.
    public convenience init<each P: RequestParameter>(
        name: String? = nil, _ parameters: repeat each P,
        setUp: @escaping @Sendable (repeat (each P).Value) throws -> Value,
        tearDown: @escaping @Sendable (Value, (any Error)?) throws -> Void
    ) {
        let setUpDependency = Dependency(name: name, repeat each parameters, resolve: setUp)
        self.init(wrapping: setUpDependency) { scope, value in
            scope.addTeardown { error in try await scope.runSync(lane: .cleanup) { try tearDown(value, error) } }
        }
    }

    /// A dependency with an async setup and a sync teardown.
    public convenience init<each P: RequestParameter>(
        name: String? = nil, _ parameters: repeat each P,
        setUp: @escaping @Sendable (repeat (each P).Value) async throws -> Value,
        tearDown: @escaping @Sendable (Value, (any Error)?) throws -> Void
    ) {
        let setUpDependency = Dependency(name: name, repeat each parameters, resolve: setUp)
        self.init(wrapping: setUpDependency) { scope, value in
            scope.addTeardown { error in try await scope.runSync(lane: .cleanup) { try tearDown(value, error) } }
        }
    }

    /// A dependency with a sync setup and an async teardown.
    public convenience init<each P: RequestParameter>(
        name: String? = nil, _ parameters: repeat each P,
        setUp: @escaping @Sendable (repeat (each P).Value) throws -> Value,
        tearDown: @escaping @Sendable (Value, (any Error)?) async throws -> Void
    ) {
        let setUpDependency = Dependency(name: name, repeat each parameters, resolve: setUp)
        self.init(wrapping: setUpDependency) { scope, value in
            scope.addTeardown { error in try await tearDown(value, error) }
        }
    }

    /// A dependency with an async setup and an async teardown.
    public convenience init<each P: RequestParameter>(
        name: String? = nil, _ parameters: repeat each P,
        setUp: @escaping @Sendable (repeat (each P).Value) async throws -> Value,
        tearDown: @escaping @Sendable (Value, (any Error)?) async throws -> Void
    ) {
        let setUpDependency = Dependency(name: name, repeat each parameters, resolve: setUp)
        self.init(wrapping: setUpDependency) { scope, value in
            scope.addTeardown { error in try await tearDown(value, error) }
        }
    }

    /// `setUp`'s dependency, registering a teardown once its value exists.
    private convenience init(wrapping setUp: Dependency<Value>, register: @escaping @Sendable (RequestScope, Value) -> Void) {
        self.init(name: setUp.name, parameters: setUp.parameters, isAsync: setUp.isAsync, hasTeardown: true) { context in
            guard let step = setUp.prepare(context) else { return nil }
            return DependencyStep { scope in
                let value = try await step.run(scope)
                // `step` is setUp's, whose value is a `Value`.
                guard let typed = value as? Value else { throw ParameterWithoutValue() }
                register(scope, typed)
                return typed
            }
        }
    }
}

/// The work of one dependency in one request, ready once its parameters were read.
struct DependencyStep: Sendable {
    let run: @Sendable (RequestScope) async throws -> any Sendable
    /// When the teardowns this step registers run.
    var teardownScope: DependencyScope = .request
    /// The dependency's name: its span's and its concurrency metrics' (``Dependency/name``).
    var name = "dependency"

    init(teardownScope: DependencyScope = .request, run: @escaping @Sendable (RequestScope) async throws -> any Sendable) {
        self.run = run
        self.teardownScope = teardownScope
    }
}

/// When a dependency's teardown runs (FastAPI 0.121's `Depends(..., scope=...)`).
///
/// ```swift
/// app.post("/orders", Body<Order>(), Depends(transaction, scope: .function)) { order, tx in
///     try tx.record(order)   // committed before the response
/// }
/// ```
public enum DependencyScope: Sendable {
    /// Right after the handler returns, before the response is sent: an error it throws
    /// becomes the response (a failed commit answers 409 or 500, not a 200 that lied).
    case function
    /// After the response was sent (the default): its errors are logged.
    case request
}

/// Hands a handler or dependency its arguments after the dependencies ran: a parameter's own
/// value when it has one, else (a ``Depends``) the resolved value of the next dependency key.
final class ArgumentCursor: @unchecked Sendable {
    // @unchecked: one cursor is made and used by a single call, on one thread at a time.
    private var keys: IndexingIterator<[DependencyKey]>
    private let scope: RequestScope

    init(keys: [DependencyKey], scope: RequestScope) {
        self.keys = keys.makeIterator()
        self.scope = scope
    }

    func argument<Parameter: RequestParameter>(_ parameter: Parameter, _ value: Parameter.Value?) throws -> Parameter.Value {
        if let value { return value }
        guard let key = self.keys.next(), let resolved = self.scope.value(for: key) as? Parameter.Value else {
            throw ParameterWithoutValue()
        }
        return resolved
    }
}
