public import NIOCore
import NIOPosix

/// How the HTTP server listens, limits and times out. Every field has a working default.
///
/// ```swift
/// var configuration = ServerConfiguration()
/// configuration.port = 8080
/// configuration.maxBodySize = 10 << 20
/// let app = App(title: "Inventory", configuration: configuration)
/// ```
public struct ServerConfiguration: Sendable {
    /// The address to bind, `127.0.0.1` by default.
    public var host: String = "127.0.0.1"
    /// The port to bind, 8000 by default; 0 picks a free one.
    public var port: Int = 8000
    /// A socket already bound and listening to accept on instead of binding `host` and `port`
    /// (`--listen-fd`/`LISTEN_FD`): `apus dev` keeps one open across restarts so that no
    /// connection is refused while the app is swapped; systemd's socket activation passes one too.
    public var listeningSocket: Int32? = nil
    /// Event loop threads: one per core by default.
    public var eventLoopThreads: Int = System.coreCount
    /// Threads of the blocking pool that runs sync handlers (AnyIO's 40 by default).
    public var blockingThreads: Int = 40
    /// Sync jobs that may wait for a pool thread; beyond, requests get 503 with `Retry-After`.
    public var blockingQueueLimit: Int = 1024
    /// The largest request body in bytes (413 beyond); routes can set their own.
    public var maxBodySize: Int = 1 << 20
    /// The largest request head (request line excluded: header names and values), 431 beyond.
    public var maxHeaderSize: Int = 32 << 10
    /// How long a keep-alive connection may wait for its next request before it is closed.
    public var idleTimeout: TimeAmount = .seconds(60)
    /// How long a client may take to send a whole request, counted from the first byte of its
    /// head (408 and close beyond; a slowly sent head included, as nginx's `client_header_timeout`).
    /// Also how long a body may take to arrive after an early answer (404, 405) before the
    /// connection closes.
    public var requestTimeout: TimeAmount = .seconds(30)
    /// An event loop stalled longer than this makes the watchdog log a warning; `nil` disables it.
    public var stallThreshold: TimeAmount? = .milliseconds(100)
    /// Where async handlers run: the event loop, unless measuring the alternative (`ASYNC_HANDLER_PLACEMENT=globalExecutor`).
    package var asyncHandlerPlacement: AsyncHandlerPlacement = .eventLoop
    /// How long graceful shutdown waits for in-flight requests before closing connections.
    public var shutdownGracePeriod: TimeAmount = .seconds(10)
    /// TLS: the server speaks `https://` with this certificate (``ServerTLS``); `nil`, plain
    /// HTTP, by default.
    public var tls: ServerTLS? = nil
    /// HTTP/2: over TLS through ALPN by default, on plain TCP (h2c) when asked; stream limits
    /// and flow control (``HTTP2Configuration``).
    public var http2 = HTTP2Configuration()
    /// The peers whose forwarding headers are believed (uvicorn's `--forwarded-allow-ips`,
    /// `--forwarded-allow-ips`/`FORWARDED_ALLOW_IPS`, comma-separated): addresses and CIDR
    /// ranges, IPv4 or IPv6, or `"*"` for any peer. A request from one of them takes its
    /// ``Request/client`` from `Forwarded: for=` or `X-Forwarded-For`, its ``Request/scheme``
    /// from `proto=`/`X-Forwarded-Proto`, its `Host` from `host=`/`X-Forwarded-Host` and its
    /// ``Request/rootPath`` from `X-Forwarded-Prefix`; from any other peer they are ignored, so
    /// a client cannot claim another address. `127.0.0.1` and `::1` by default, as uvicorn: a
    /// proxy on the same machine. `[]` trusts nobody.
    ///
    /// ```swift
    /// var configuration = ServerConfiguration()
    /// configuration.trustedProxies = ["127.0.0.1", "10.0.0.0/8"]
    /// ```
    public var trustedProxies: [String] = ["127.0.0.1", "::1"]
    /// The path prefix under which a proxy serves the app (FastAPI's `root_path`, `--root-path`/
    /// `ROOT_PATH`): `/docs` points at `<rootPath>/openapi.json`, the document lists it in
    /// `servers`, redirects keep it. A request path that starts with it is routed without it,
    /// so a proxy may strip the prefix or pass it on.
    public var rootPath: String = ""
    /// Limits of `multipart/form-data` bodies (parts, file and field sizes). Such bodies are
    /// parsed while they arrive and are not subject to ``maxBodySize``.
    public var multipart = MultipartLimits()
    /// Frame and message limits, ping keep-alive and close timeout of WebSockets.
    public var webSocket = WebSocketConfiguration()

    /// The defaults.
    public init() {}
}

/// Limits and keep-alive of WebSocket connections.
///
/// ```swift
/// var configuration = ServerConfiguration()
/// configuration.webSocket.maxMessageSize = 64 << 10
/// configuration.webSocket.pingInterval = .seconds(5)
/// ```
public struct WebSocketConfiguration: Sendable {
    /// The largest frame a client may send, in bytes; beyond, the socket closes with 1009.
    public var maxFrameSize: Int = 16 << 20
    /// The largest message (all its fragments), in bytes; beyond, the socket closes with 1009
    /// (uvicorn's `ws_max_size`).
    public var maxMessageSize: Int = 16 << 20
    /// After this long without a frame from the client the server sends a ping; `nil` never pings
    /// (uvicorn's `ws_ping_interval`, 20 s).
    public var pingInterval: TimeAmount? = .seconds(20)
    /// How long the client has to answer a ping (with any frame) before the connection is
    /// dropped as vanished and the handler cancelled (uvicorn's `ws_ping_timeout`, 20 s).
    public var pingTimeout: TimeAmount = .seconds(20)
    /// How long to wait for the client's close frame after the server sent its own.
    public var closeTimeout: TimeAmount = .seconds(5)

    /// The defaults.
    public init() {}
}
