/// The address of the client that sent a request, as FastAPI's `request.client`: the peer of
/// the connection, or, behind a trusted proxy, the client the proxy names (`X-Forwarded-For`,
/// `Forwarded: for=`; see ``ServerConfiguration/trustedProxies``).
///
/// ```swift
/// app.get("/whoami", .request) { request in
///     PlainText(request.client?.host ?? "unknown")
/// }
/// ```
public struct ClientAddress: Sendable, Hashable, CustomStringConvertible {
    /// The IP address (`203.0.113.7`, `2001:db8::1`), or a name the test client uses (`testclient`).
    public var host: String
    /// The port, 0 when a proxy did not say.
    public var port: Int

    /// A client at `host` and `port`.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `host:port` (`[host]:port` for an IPv6 address).
    public var description: String {
        self.host.contains(":") ? "[\(self.host)]:\(self.port)" : "\(self.host):\(self.port)"
    }
}
