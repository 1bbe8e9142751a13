import NIOConcurrencyHelpers
import NIOCore

/// Whole messages received but not yet taken by the handler, and how the socket ended.
///
/// The connection pushes; the handler's task takes. Past ``highWatermark`` messages the
/// connection stops reading from the socket (``push(_:)`` says so), and ``onDemand`` tells
/// it to read again once the handler has taken the queue down to ``lowWatermark``: a client
/// that sends faster than the handler reads fills its own TCP window, not the server's memory.
package final class WebSocketInbox: Sendable {
    static let highWatermark = 32
    static let lowWatermark = 8

    private struct State {
        var messages = CircularBuffer<WebSocketMessage>()
        var end: WebSocketDisconnect?
        var waiter: CheckedContinuation<WebSocketMessage, any Error>?
        var readingPaused = false
    }

    private let state = NIOLockedValueBox(State())
    /// Called (from the handler's task) when reading should resume.
    private let onDemand: @Sendable () -> Void

    package init(onDemand: @escaping @Sendable () -> Void = {}) {
        self.onDemand = onDemand
    }

    /// Adds a message; returns `false` when the connection should stop reading for now.
    @discardableResult
    package func push(_ message: WebSocketMessage) -> Bool {
        let (waiter, keepReading) = self.state.withLockedValue { state -> (CheckedContinuation<WebSocketMessage, any Error>?, Bool) in
            guard state.end == nil else { return (nil, true) }
            if let waiter = state.waiter {
                state.waiter = nil
                return (waiter, true)
            }
            state.messages.append(message)
            if state.messages.count >= Self.highWatermark {
                state.readingPaused = true
                return (nil, false)
            }
            return (nil, true)
        }
        waiter?.resume(returning: message)
        return keepReading
    }

    /// Ends the inbox: messages already queued are still delivered, then `disconnect` is thrown.
    package func finish(_ disconnect: WebSocketDisconnect) {
        let waiter = self.state.withLockedValue { state -> CheckedContinuation<WebSocketMessage, any Error>? in
            guard state.end == nil else { return nil }
            state.end = disconnect
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(throwing: disconnect)
    }

    /// How the socket ended, once it has.
    package var end: WebSocketDisconnect? { self.state.withLockedValue { $0.end } }

    /// The next message; throws the ``WebSocketDisconnect`` once the socket ended and the queue is empty,
    /// and `CancellationError` when the waiting task is cancelled.
    package func next() async throws -> WebSocketMessage {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<WebSocketMessage, any Error>) in
                enum Outcome {
                    case message(WebSocketMessage, resume: Bool)
                    case end(WebSocketDisconnect)
                    case cancelled
                    case wait
                }
                let outcome = self.state.withLockedValue { state -> Outcome in
                    if let message = state.messages.popFirst() {
                        let resume = state.readingPaused && state.messages.count <= Self.lowWatermark
                        if resume { state.readingPaused = false }
                        return .message(message, resume: resume)
                    }
                    if let end = state.end { return .end(end) }
                    if Task.isCancelled { return .cancelled }
                    state.waiter = continuation
                    return .wait
                }
                switch outcome {
                case .message(let message, let resume):
                    if resume { self.onDemand() }
                    continuation.resume(returning: message)
                case .end(let end):
                    continuation.resume(throwing: end)
                case .cancelled:
                    continuation.resume(throwing: CancellationError())
                case .wait:
                    break
                }
            }
        } onCancel: {
            let waiter = self.state.withLockedValue { state -> CheckedContinuation<WebSocketMessage, any Error>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(throwing: CancellationError())
        }
    }
}
