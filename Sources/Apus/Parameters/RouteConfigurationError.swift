/// A route was declared in a way that cannot work: a path template whose `{names}` do not
/// match its `Path` parameters, a duplicate method and path, an unknown convertor...
/// `App.run()` and `TestClient` throw it before serving; the message names the route.
public struct RouteConfigurationError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, naming the route.
    public var description: String
    init(_ description: String) { self.description = description }
}
