import Foundation
public import NIOHTTP1

/// What a frontend answers for a path that is no file of its build (FastAPI's `fallback`).
public enum FrontendFallback: Sendable, Equatable {
    /// The build's `404.html` with status 404 when it has one; otherwise its `index.html` for a
    /// page request (one whose `Accept` takes HTML), so that the client-side router shows the page.
    case automatic
    /// `index.html` for a page request (a single-page app's client-side routes).
    case indexHTML
    /// `404.html` with status 404 (a statically generated site).
    case notFoundPage
    /// The JSON 404, `{"detail":"Not Found"}`.
    case none
}

/// A built frontend served by ``RouteRegistrar/frontend(_:directory:fallback:apiPrefixes:immutableAssets:checkDirectory:)``.
struct Frontend: Sendable {
    let files: StaticFiles
    let fallback: FrontendFallback
    /// Paths (`/api`) under which a miss is always the JSON 404, never a page.
    let apiPrefixes: [String]
    /// The folder of the build (`assets`) whose files carry a content hash in their names.
    let immutableAssets: String?

    /// The response to `request` for `relative`, the part of its path below the frontend's.
    /// Blocking file-system calls: run on the pool.
    func respond(to request: Request, relative: String) throws -> Response {
        if self.apiPrefixes.contains(where: { request.path == $0 || request.path.hasPrefix($0 + "/") }) {
            throw HTTPError(.notFound)
        }
        let found = self.files.lookup(relative)
        guard request.method == .GET || request.method == .HEAD else {
            // FastAPI's answer: a file that exists is 405 (without `Allow`), anything else 404.
            if found != nil { throw HTTPError(.methodNotAllowed, detail: "Method Not Allowed") }
            throw HTTPError(.notFound)
        }
        if let found {
            if found.isDirectoryIndex && !request.path.hasSuffix("/") {
                var location = "\(request.scheme)://\(request.host ?? "localhost")\(request.rootPath)\(percentEncodePath(request.path + "/"))"
                if let query = request.query { location += "?\(query)" }
                return Response(status: .temporaryRedirect, headers: ["location": location])
            }
            return FileResponse(path: found.file, headers: self.cacheHeaders(for: relative, file: found.file))
                .response(to: request, status: .ok)
        }
        if self.fallback == .notFoundPage || self.fallback == .automatic, let page = self.files.resolve("404.html") {
            return FileResponse(path: page, headers: ["cache-control": "no-cache"]).response(to: request, status: .notFound)
        }
        if self.fallback == .indexHTML || self.fallback == .automatic, Self.isPageRequest(request.headers),
            let index = self.files.resolve("index.html")
        {
            return FileResponse(path: index, headers: ["cache-control": "no-cache"]).response(to: request, status: .ok)
        }
        throw HTTPError(.notFound)
    }

    /// Hashed assets may be cached for a year; HTML pages, which name them, are revalidated
    /// (their `ETag` makes that a 304) so that a deploy shows at once.
    private func cacheHeaders(for relative: String, file: String) -> HTTPHeaders {
        if let folder = self.immutableAssets, relative.hasPrefix(folder + "/") {
            return ["cache-control": "public, max-age=31536000, immutable"]
        }
        if file.hasSuffix(".html") { return ["cache-control": "no-cache"] }
        return [:]
    }

    /// Whether the request is a browser's page navigation: its `Accept` takes `text/html` or
    /// `application/xhtml+xml` with a quality above 0 (a `fetch` sends `*/*`, which is not).
    static func isPageRequest(_ headers: HTTPHeaders) -> Bool {
        for value in headers[canonicalForm: "accept"] {
            let parameters = value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let mediaType = parameters.first?.lowercased(), mediaType == "text/html" || mediaType == "application/xhtml+xml"
            else { continue }
            let quality = parameters.dropFirst().first { $0.lowercased().hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if quality != 0 { return true }
        }
        return false
    }
}

extension RouteRegistrar {
    /// Serves a built frontend (a single-page app's `dist` folder) under `path`, behind every
    /// other route, as FastAPI's `app.frontend()`.
    ///
    /// A request whose path matches no route (and no trailing-slash redirect) gets the build's
    /// file at that path, a folder's `index.html` (a folder without its trailing slash is
    /// redirected to it), or the `fallback`: by default `404.html` with status 404 when the
    /// build has one, otherwise `index.html` for a page request, so that a client-side route
    /// like `/dashboard/settings` opens the app. A request that is not a page request (an API
    /// client's `Accept: application/json` or `*/*`), another method than `GET`/`HEAD`, or a
    /// path under `apiPrefixes` gets the JSON 404 instead; a route's own 405 stays a 405.
    /// Files under `immutableAssets` (Vite's `assets`, whose names carry a content hash) are
    /// sent with `Cache-Control: public, max-age=31536000, immutable`, HTML with `no-cache`.
    /// Not in the OpenAPI document.
    ///
    /// ```swift
    /// app.get("/api/items") { ["hammer", "saw"] }
    /// app.frontend("/", directory: "dist")
    /// ```
    ///
    /// - Parameters:
    ///   - path: where the frontend is served (`/` for the whole site, `/app` under a prefix).
    ///   - directory: the build's folder (relative paths are relative to the working directory).
    ///   - fallback: what a path that is no file of the build answers.
    ///   - apiPrefixes: paths under which a miss is always the JSON 404 (an API client's typo
    ///     must not get a page).
    ///   - immutableAssets: the build's folder of hashed files, or `nil` for none.
    ///   - checkDirectory: whether a missing `directory` (or the explicit fallback's file) stops
    ///     the app at start with an error naming it.
    public func frontend(
        _ path: String = "/", directory: String, fallback: FrontendFallback = .automatic, apiPrefixes: [String] = ["/api"],
        immutableAssets: String? = "assets", checkDirectory: Bool = true
    ) {
        let files = StaticFiles(directory: directory, html: true)
        if checkDirectory {
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: files.directory, isDirectory: &isDirectory) || !isDirectory.boolValue {
                self.router.addProblem(RouteConfigurationError("frontend \(path): the directory '\(files.directory)' does not exist"))
                return
            }
            let required = fallback == .indexHTML ? "index.html" : fallback == .notFoundPage ? "404.html" : nil
            if let required, files.resolve(required) == nil {
                self.router.addProblem(
                    RouteConfigurationError("frontend \(path): the fallback file '\(required)' does not exist in '\(files.directory)'"))
                return
            }
        }
        let frontend = Frontend(
            files: files, fallback: fallback,
            apiPrefixes: apiPrefixes.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 },
            immutableAssets: immutableAssets.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "/")) })
        let base = path.hasSuffix("/") ? String(path.dropLast()) : path
        let options = RouteOptions(includeInSchema: false)
        let methods: [HTTPMethod] = [.GET, .POST, .PUT, .PATCH, .DELETE, .OPTIONS]
        let below = Endpoint.sync(Path<String>("path"), .request, options: options) { relative, request in
            try frontend.respond(to: request, relative: relative)
        }
        self.router.add(RouteDefinition(methods: methods, path: base + "/{path:path}", options: options, endpoint: below, isFallback: true))
        if !base.isEmpty {
            let root = Endpoint.sync(.request, options: options) { request in try frontend.respond(to: request, relative: "") }
            self.router.add(RouteDefinition(methods: methods, path: base, options: options, endpoint: root, isFallback: true))
        }
    }
}
