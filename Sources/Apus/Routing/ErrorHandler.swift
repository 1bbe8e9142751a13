/// An error handler registered with `onError`:
/// the error type it answers and how.
package struct ErrorHandler: Sendable {
    /// How the handler makes its response.
    package enum Answer: Sendable {
        /// Runs where the error was met (an event loop or a pool thread).
        case sync(@Sendable (any Error, Request) throws -> Response)
        /// Runs in a task.
        case async(@Sendable (any Error, Request) async throws -> Response)
    }

    /// The handled type, to tell an exact match from a conformance.
    private let type: ObjectIdentifier
    private let accepts: @Sendable (any Error) -> Bool
    package let answer: Answer

    package init<E: Error>(_ type: E.Type, answer: Answer) {
        self.type = ObjectIdentifier(type)
        self.accepts = { $0 is E }
        self.answer = answer
    }

    /// 0 when `error` is exactly of the handled type, 1 when it only conforms to it (the handled
    /// type is a protocol: `(any LocalizedError).self`, `(any Error).self`), `nil` when it is not handled.
    fileprivate func specificity(for error: any Error) -> Int? {
        if ObjectIdentifier(Swift.type(of: error)) == self.type { return 0 }
        return self.accepts(error) ? 1 : nil
    }
}

extension [ErrorHandler] {
    /// The handler for `error` among these (the route's routers' innermost first) and then
    /// `outer` (the app's): an exact type match wherever it is, before a protocol match; among
    /// equals, the nearest scope, then the first registered.
    package func handler(for error: any Error, then outer: [ErrorHandler] = []) -> ErrorHandler? {
        var conforming: ErrorHandler?
        for handler in self {
            guard let specificity = handler.specificity(for: error) else { continue }
            if specificity == 0 { return handler }
            if conforming == nil { conforming = handler }
        }
        for handler in outer {
            guard let specificity = handler.specificity(for: error) else { continue }
            if specificity == 0 { return handler }
            if conforming == nil { conforming = handler }
        }
        return conforming
    }
}
