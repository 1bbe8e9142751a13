import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle

/// Where a service added with ``App/addService(_:placement:)`` runs its tasks.
///
/// ```swift
/// app.addService(exporter, placement: .eventLoop)
/// ```
public enum ServicePlacement: Sendable, Hashable {
    /// Swift's global concurrent executor, as any task (the default).
    case globalExecutor
    /// One of the app's event loops (a task executor preference on it). For a service whose
    /// work is short and never blocks and that handlers feed through an `AsyncStream` (a span
    /// exporter's queue): a value yielded on the loop then resumes the consumer on the same
    /// thread, where on the global executor every resumption wakes another thread. The app
    /// keeps the loop running until the service has stopped, so it can still flush after the
    /// last request. A service that blocks on that loop delays the requests of its connections:
    /// keep anything slow on ``globalExecutor``. Before the app has made its event loops
    /// (``App/service()`` or ``App/run()``), the service runs on the global executor.
    case eventLoop
}

/// The event loop the app's ``ServicePlacement/eventLoop`` services run on, and the loop
/// group's shutdown held back until the last of them has stopped.
final class ServiceEventLoop: Sendable {
    private struct Placed {
        let executor: EventLoopTaskExecutor
        var running = 0
        /// The runtime stopped while services ran on its loops: the last one to stop shuts them down.
        var release: (@Sendable () -> Void)?
    }

    private struct State {
        /// The newest runtime's group, the one new services go to.
        var current: ObjectIdentifier?
        var groups: [ObjectIdentifier: Placed] = [:]
    }

    private let state = NIOLockedValueBox(State())

    /// Services that start from now on run on a loop of `group`.
    func attach(_ group: any EventLoopGroup) {
        let id = ObjectIdentifier(group)
        self.state.withLockedValue {
            $0.groups[id] = Placed(executor: EventLoopTaskExecutor(group.next()))
            $0.current = id
        }
    }

    /// Whether `group` may shut down now; if not, `release` runs when its last service stops.
    func mayShutDown(_ group: any EventLoopGroup, else release: @escaping @Sendable () -> Void) -> Bool {
        let id = ObjectIdentifier(group)
        return self.state.withLockedValue { state in
            if state.current == id { state.current = nil }
            guard var placed = state.groups[id], placed.running > 0 else {
                state.groups[id] = nil
                return true
            }
            placed.release = release
            state.groups[id] = placed
            return false
        }
    }

    /// The executor a starting service runs on (nil before the app made its loops or after it stopped).
    func enter() -> (group: ObjectIdentifier, executor: EventLoopTaskExecutor)? {
        self.state.withLockedValue { state in
            guard let id = state.current, var placed = state.groups[id] else { return nil }
            placed.running += 1
            state.groups[id] = placed
            return (id, placed.executor)
        }
    }

    /// A service that entered `group` stopped; the last one releases a group whose runtime stopped.
    func leave(_ group: ObjectIdentifier) {
        let release: (@Sendable () -> Void)? = self.state.withLockedValue { state in
            guard var placed = state.groups[group] else { return nil }
            placed.running -= 1
            guard placed.running == 0, let release = placed.release else {
                state.groups[group] = placed
                return nil
            }
            state.groups[group] = nil
            return release
        }
        release?()
    }
}

/// A service run with a task executor preference on one of the app's event loops.
struct EventLoopPlacedService: Service, CustomStringConvertible {
    let base: any Service
    let loop: ServiceEventLoop

    var description: String { "\(self.base) on an event loop" }

    func run() async throws {
        guard let (group, executor) = self.loop.enter() else { return try await self.base.run() }
        defer { self.loop.leave(group) }
        try await withTaskExecutorPreference(executor) { try await self.base.run() }
    }
}
