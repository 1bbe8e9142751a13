import Logging

/// The app's startup and shutdown hooks (``App/onStartup(_:)``, ``App/onShutdown(_:)``).
package struct Lifespan: Sendable {
    let startupHooks: [@Sendable () async throws -> Void]
    let shutdownHooks: [@Sendable () async throws -> Void]

    init(startup: [@Sendable () async throws -> Void], shutdown: [@Sendable () async throws -> Void]) {
        self.startupHooks = startup
        self.shutdownHooks = shutdown
    }

    /// Runs the startup hooks in order; the first error stops the start.
    package func startup() async throws {
        for hook in self.startupHooks { try await hook() }
    }

    /// Runs the shutdown hooks (already in reverse order); errors are logged.
    func shutdown(logger: Logger) async {
        for hook in self.shutdownHooks {
            do {
                try await hook()
            } catch {
                logger.error("Error in a shutdown hook: \(String(reflecting: error))")
            }
        }
    }
}
