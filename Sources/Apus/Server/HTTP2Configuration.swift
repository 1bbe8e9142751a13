/// HTTP/2 (swift-nio-http2): offered through ALPN (`h2`) on a TLS server, and on plain TCP to
/// clients that start with the HTTP/2 preface ("prior knowledge", h2c), when asked. Every
/// route, middleware, limit and streamed body works the same on either version; WebSockets stay
/// on HTTP/1.1 (a client opens them there).
///
/// ```swift
/// var configuration = ServerConfiguration()
/// configuration.http2.cleartext = true          // h2c for a proxy or a client that knows
/// configuration.http2.maxConcurrentStreams = 200
/// ```
public struct HTTP2Configuration: Sendable {
    /// Offer `h2` before `http/1.1` in TLS's ALPN (true by default; without TLS it changes nothing).
    public var overTLS: Bool = true
    /// Speak HTTP/2 on plain TCP to a client whose first bytes are the HTTP/2 connection preface
    /// (`--http2-prior-knowledge`); other clients get HTTP/1.1 as before. Off by default.
    public var cleartext: Bool = false
    /// How many streams (requests) a client may have open at once on one connection
    /// (`SETTINGS_MAX_CONCURRENT_STREAMS`); beyond, a new stream is refused.
    public var maxConcurrentStreams: Int = 100
    /// The flow-control window each stream gets, in bytes (`SETTINGS_INITIAL_WINDOW_SIZE`): how
    /// much of a body the client may send before the handler reads it.
    public var initialWindowSize: Int = 65_535
    /// The largest frame payload the server accepts (`SETTINGS_MAX_FRAME_SIZE`, 16 KiB to 16 MiB).
    public var maxFrameSize: Int = 1 << 14

    /// The defaults.
    public init() {}
}
