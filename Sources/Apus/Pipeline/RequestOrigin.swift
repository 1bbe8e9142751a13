/// Where a request comes from and under which prefix the app is served, settled before
/// routing for the server and the test client alike: what a trusted proxy says (client,
/// scheme, host, `X-Forwarded-Prefix`), then the root path taken off the path when the proxy
/// left it on (Starlette's `root_path` handling: both a stripping and a passing proxy work).
package struct RequestOrigin: Sendable {
    let trustedProxies: TrustedProxies
    /// `""` or `/prefix`, without a trailing slash.
    let rootPath: String

    /// Nobody trusted, no root path.
    package static let direct = RequestOrigin(trustedProxies: .none, rootPath: "")

    package init(trustedProxies: TrustedProxies, rootPath: String) {
        self.trustedProxies = trustedProxies
        self.rootPath = Self.normalized(rootPath)
    }

    /// `api/` → `/api`, `/` → `""`.
    static func normalized(_ rootPath: String) -> String {
        var path = Substring(rootPath)
        while path.hasSuffix("/") { path.removeLast() }
        guard !path.isEmpty else { return "" }
        return path.hasPrefix("/") ? String(path) : "/" + path
    }

    func resolve(_ request: inout Request) {
        if !self.trustedProxies.isEmpty, Self.hasForwardingHeaders(request), let peer = request.client,
            self.trustedProxies.contains(peer.host)
        {
            let forwarded = ForwardedHeaders.read(request.headers, trusted: self.trustedProxies)
            if let client = forwarded.client { request.client = client }
            if let scheme = forwarded.scheme { request.scheme = scheme }
            if let host = forwarded.host { request.headers.replaceOrAdd(name: "host", value: host) }
            if let prefix = forwarded.prefix { request.rootPath = prefix }
        }
        if request.rootPath.isEmpty { request.rootPath = self.rootPath }
        let prefix = request.rootPath
        guard !prefix.isEmpty else { return }
        if let rest = Self.remainder(of: request.path, after: prefix) { request.path = rest }
        if let rest = Self.remainder(of: request.rawPath, after: prefix) { request.rawPath = rest }
    }

    /// `path` without `prefix` when it starts with it as whole segments (`/api` in `/api/items`, not in `/apix`).
    private static func remainder(of path: String, after prefix: String) -> String? {
        guard path.hasPrefix(prefix) else { return nil }
        let rest = path.utf8.dropFirst(prefix.utf8.count)
        if rest.isEmpty { return "/" }
        return rest.first == UInt8(ascii: "/") ? String(Substring(rest)) : nil
    }

    /// Whether any header a proxy sets is there (one look at the names; most requests have none).
    private static func hasForwardingHeaders(_ request: Request) -> Bool {
        for header in request.headers {
            guard let first = header.name.utf8.first, first | 0x20 == UInt8(ascii: "x") || first | 0x20 == UInt8(ascii: "f") else {
                continue
            }
            let name = header.name.lowercased()
            if name == "forwarded" || name.hasPrefix("x-forwarded-") { return true }
        }
        return false
    }
}
