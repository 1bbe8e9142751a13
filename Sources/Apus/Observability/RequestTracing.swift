import Foundation
import Instrumentation
import NIOHTTP1
package import Tracing

/// Reads a trace's propagated context (W3C `traceparent` and `tracestate`, or whatever the
/// tracer propagates) from a request's headers.
struct HTTPHeadersExtractor: Extractor {
    func extract(key: String, from headers: HTTPHeaders) -> String? {
        headers.first(name: key)
    }
}

/// A moment on the wall clock, for a span that started before it was made (a request's
/// span starts when its head arrived).
struct WallClockInstant: TracerInstant {
    let nanosecondsSinceEpoch: UInt64

    static var now: WallClockInstant {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return WallClockInstant(nanosecondsSinceEpoch: UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec))
    }

    static func < (lhs: Self, rhs: Self) -> Bool { lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch }
}

/// Runs `body` in a child span of the current one named `name` when `tracer` is set (the
/// span records what `body` throws); else just runs it.
@inline(__always)
package func traced<T>(
    _ tracer: (any Tracer)?, _ name: @autoclosure () -> String, isolation: isolated (any Actor)? = #isolation,
    _ body: () async throws -> T
) async rethrows -> T {
    guard let tracer else { return try await body() }
    let span = tracer.startSpan(name(), context: ServiceContext.current ?? .topLevel, ofKind: .internal)
    defer { span.end() }
    do {
        return try await ServiceContext.withValue(span.context) { try await body() }
    } catch {
        span.recordError(error)
        throw error
    }
}

/// The sync `traced`: on a pool thread, the current context is the one the job was given.
@inline(__always)
package func tracedSync<T>(_ tracer: (any Tracer)?, _ name: @autoclosure () -> String, _ body: () throws -> T) rethrows -> T {
    guard let tracer else { return try body() }
    let span = tracer.startSpan(name(), context: ServiceContext.current ?? .topLevel, ofKind: .internal)
    defer { span.end() }
    do {
        return try ServiceContext.withValue(span.context) { try body() }
    } catch {
        span.recordError(error)
        throw error
    }
}
