/// Where async handlers run. Both keep the rule that nothing blocking runs there; they
/// differ in cost (see `docs/concurrency.md` for the measurement).
package enum AsyncHandlerPlacement: String, Sendable {
    /// A task whose executor preference is the connection's event loop: it starts and
    /// resumes there and writes its response without a thread hop (the default).
    case eventLoop
    /// A plain task on Swift's global concurrent executor, hopping back to the event loop
    /// to write the response.
    case globalExecutor
}
