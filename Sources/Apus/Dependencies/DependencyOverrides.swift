import NIOConcurrencyHelpers

/// Replacements for dependencies, typically in tests: FastAPI's `app.dependency_overrides`.
///
/// ```swift
/// try app.dependencyOverrides.override(currentUser, with: Dependency { User(name: "test") })
/// let client = try await TestClient(app)
/// ```
///
/// The replacement's own parameters are read instead of the original's. Changes apply to the
/// next requests.
public final class DependencyOverrides: Sendable {
    private let replacements = NIOLockedValueBox<[ObjectIdentifier: any Sendable]>([:])

    package init() {}

    /// Uses `replacement` wherever `original` is used.
    /// - Throws: ``RouteConfigurationError`` when the replacement depends, directly or not, on `original`.
    public func override<Value>(_ original: Dependency<Value>, with replacement: Dependency<Value>) throws(RouteConfigurationError) {
        if let cycle = self.cycle(from: replacement, to: ObjectIdentifier(original)) {
            throw RouteConfigurationError(
                "dependency override of \(original.name) makes a cycle: \((cycle + [original.name]).joined(separator: " -> "))")
        }
        self.replacements.withLockedValue { $0[ObjectIdentifier(original)] = replacement }
    }

    /// Removes the override of `original`.
    public func remove<Value>(_ original: Dependency<Value>) {
        _ = self.replacements.withLockedValue { $0.removeValue(forKey: ObjectIdentifier(original)) }
    }

    /// Removes every override.
    public func removeAll() { self.replacements.withLockedValue { $0.removeAll() } }

    func replacement<Value>(for dependency: Dependency<Value>) -> Dependency<Value>? {
        self.replacements.withLockedValue { $0[ObjectIdentifier(dependency)] } as? Dependency<Value>
    }

    /// The chain of names from `start` to `target` through the dependencies' parameters
    /// (with the current overrides applied), if there is one.
    private func cycle<Value>(from start: Dependency<Value>, to target: ObjectIdentifier) -> [String]? {
        func walk(_ infos: [ParameterInfo], path: [String], depth: Int) -> [String]? {
            guard depth < 64 else { return path }
            for info in infos {
                guard let id = info.dependencyID else { continue }
                if id == target { return path }
                if let found = walk(info.nested, path: path + [info.name], depth: depth + 1) { return found }
            }
            return nil
        }
        return walk(start.parameters, path: [start.name], depth: 0)
    }
}
