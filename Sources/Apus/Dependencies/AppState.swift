import Logging
import NIOConcurrencyHelpers

/// Values an app shares with every request: a database pool, a client, settings. Usually
/// set by a startup hook, read by handlers and dependencies with ``Shared`` (FastAPI's
/// `app.state` and lifespan state).
///
/// ```swift
/// app.onStartup { app in app.state.set(try await DatabasePool.open(settings.databasePath)) }
/// let session = Dependency(Shared<DatabasePool>()) { pool in try pool.session() }
/// ```
public final class AppState: Sendable {
    private let values = NIOLockedValueBox<[ObjectIdentifier: any Sendable]>([:])

    package init() {}

    /// Stores `value`, replacing the value of the same type.
    public func set<T: Sendable>(_ value: T) {
        self.values.withLockedValue { $0[ObjectIdentifier(T.self)] = value }
    }

    /// The value of type `T`, if one was stored.
    public func get<T: Sendable>(_ type: T.Type = T.self) -> T? {
        self.values.withLockedValue { $0[ObjectIdentifier(T.self)] } as? T
    }

    /// Removes the value of type `T`.
    public func remove<T>(_ type: T.Type) {
        _ = self.values.withLockedValue { $0.removeValue(forKey: ObjectIdentifier(T.self)) }
    }
}

/// Reads a value of the app's ``AppState`` in a handler or a dependency.
///
/// A request reaching a route whose shared value was never set is answered 500 and the
/// error is logged, naming the type: a configuration error, not the client's.
public struct Shared<Value: Sendable>: RequestParameter {
    /// The marker for the shared value of type `Value`.
    public init(_ type: Value.Type = Value.self) {}

    @_documentation(visibility: internal)
    public var info: ParameterInfo { ParameterInfo(location: .other, name: "shared \(Value.self)", isRequired: false) }

    @_documentation(visibility: internal)
    public func extract(from context: ExtractionContext) -> Value? {
        if let value = context.services.state?.get(Value.self) { return value }
        context.services.logger.error(
            "No shared \(Value.self) in the app state for \(context.request.method) \(context.request.path): set it with app.state.set(...) before serving")
        context.fail(with: HTTPError(.internalServerError, detail: "Internal Server Error"))
        return nil
    }
}
