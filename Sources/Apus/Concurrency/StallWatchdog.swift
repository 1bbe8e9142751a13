import CoreMetrics
import Atomics
import Foundation
import Logging
import NIOCore
import NIOConcurrencyHelpers

/// Detects an event loop that makes no progress for longer than a threshold (an async
/// handler that blocks its thread, FastAPI users' most common mistake) and logs a warning
/// naming the route that was running on it.
///
/// Each loop stamps a heartbeat on a timer; a separate thread checks the stamps. The cost
/// on the request path is two relaxed atomic stores per async request (``Probe/enter(_:)``
/// and ``Probe/leave()``).
final class StallWatchdog: Sendable {
    /// One event loop's heartbeat and the route its last async handler ran.
    final class Probe: Sendable {
        let lastBeat = ManagedAtomic<UInt64>(DispatchTime.now().uptimeNanoseconds)
        let route = ManagedAtomic<Int>(-1)
        let reported = ManagedAtomic<Bool>(false)

        @inline(__always)
        func enter(_ routeID: Int) { self.route.store(routeID, ordering: .relaxed) }
        @inline(__always)
        func leave() { self.route.store(-1, ordering: .relaxed) }
    }

    let threshold: TimeAmount
    let logger: Logger
    /// Where stalls and loop lag are counted, when metrics are on.
    let metrics: EventLoopMetrics?
    private let probes: [ObjectIdentifier: Probe]
    private let state = NIOLockedValueBox<(names: [String], tasks: [RepeatedTask], running: Bool)>(([], [], false))

    init(eventLoops: [any EventLoop], threshold: TimeAmount, logger: Logger, metrics: EventLoopMetrics? = nil) {
        self.metrics = metrics
        var probes: [ObjectIdentifier: Probe] = [:]
        for loop in eventLoops { probes[ObjectIdentifier(loop)] = Probe() }
        self.probes = probes
        self.threshold = threshold
        self.logger = logger
        self.loops = eventLoops
    }

    private let loops: [any EventLoop]

    func probe(for eventLoop: any EventLoop) -> Probe? { self.probes[ObjectIdentifier(eventLoop)] }

    /// Starts the heartbeats and the checking thread; `routeNames` name the route ids.
    func start(routeNames: [String]) {
        let beatInterval = TimeAmount.nanoseconds(max(self.threshold.nanoseconds / 4, 1_000_000))
        var tasks: [RepeatedTask] = []
        for loop in self.loops {
            guard let probe = self.probe(for: loop) else { continue }
            probe.lastBeat.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
            let metrics = self.metrics
            let interval = UInt64(beatInterval.nanoseconds)
            tasks.append(
                loop.scheduleRepeatedTask(initialDelay: .zero, delay: beatInterval) { _ in
                    let now = DispatchTime.now().uptimeNanoseconds
                    guard let metrics else { return probe.lastBeat.store(now, ordering: .relaxed) }
                    // How much later than planned the loop ran this beat: its lag.
                    let last = probe.lastBeat.exchange(now, ordering: .relaxed)
                    let elapsed = now > last ? now - last : 0
                    metrics.lag.recordNanoseconds(Int64(clamping: elapsed > interval ? elapsed - interval : 0))
                })
        }
        self.state.withLockedValue { $0 = (routeNames, tasks, true) }
        let thread = Thread { [self] in self.watch(interval: beatInterval) }
        thread.name = "apus-stall-watchdog"
        thread.start()
    }

    func stop() {
        let tasks = self.state.withLockedValue { state -> [RepeatedTask] in
            state.running = false
            return state.tasks
        }
        for task in tasks { task.cancel() }
    }

    private func watch(interval: TimeAmount) {
        let threshold = UInt64(self.threshold.nanoseconds)
        while true {
            usleep(UInt32(max(interval.nanoseconds / 1000, 1000)))
            let (names, running) = self.state.withLockedValue { ($0.names, $0.running) }
            guard running else { return }
            let now = DispatchTime.now().uptimeNanoseconds
            for probe in self.probes.values {
                let last = probe.lastBeat.load(ordering: .relaxed)
                let stalled = now > last && now - last > threshold
                if stalled, !probe.reported.exchange(true, ordering: .relaxed) {
                    let routeID = probe.route.load(ordering: .relaxed)
                    let name = names.indices.contains(routeID) ? names[routeID] : nil
                    let route = name ?? "an unknown task"
                    self.metrics?.stalled(running: name)
                    self.logger.warning(
                        "Event loop blocked for more than \(self.threshold.nanoseconds / 1_000_000) ms while running \(route). An async handler must never block its thread: make the handler sync (no `async`) so that it runs on the blocking pool, or await a non-blocking API.",
                        metadata: ["apus.route": "\(route)", "apus.stall_ms": "\((now - last) / 1_000_000)"])
                } else if !stalled {
                    probe.reported.store(false, ordering: .relaxed)
                }
            }
        }
    }
}
