import NIOHTTP1

extension RequestPipeline {
    /// What routing decided for a request: a route and its path parameters, or routing's own answer.
    enum Lookup {
        case route(Route, parameters: [(name: String, value: String)])
        case answer(DeferredResponse)
    }

    /// Finds the route of a request, or the response that routing itself gives (404, 405, 307);
    /// a path no route matches goes to a fallback route (a frontend's) when one matches it.
    func lookup(_ request: Request) -> Lookup {
        switch self.trie.lookup(request.method, path: request.path) {
        case .found(let route, let parameters):
            return .route(route, parameters: parameters)
        case .methodNotAllowed(let allowed):
            var methods: [String] = []
            for method in allowed {
                methods.append("\(method)")
                if method == .GET && !allowed.contains(.HEAD) { methods.append("HEAD") }
            }
            let error = HTTPError(.methodNotAllowed, detail: "Method Not Allowed", headers: ["allow": methods.joined(separator: ", ")])
            return .answer(self.answer(to: error, request: request))
        case .notFound:
            if let redirect = self.trailingSlashRedirect(request) { return .answer(.ready(redirect)) }
            if case .found(let route, let parameters) = self.fallbackTrie.lookup(request.method, path: request.path) {
                return .route(route, parameters: parameters)
            }
            return .answer(self.answer(to: HTTPError.notFound, request: request))
        }
    }

    /// With app middleware, routing's own answers (404, 405, 307) also pass through it, and an
    /// async error handler makes its answer in the request's task: as a route that gives that answer.
    func routingAnswer(_ answer: DeferredResponse) -> Route {
        let endpoint = Endpoint(parameters: [], isAsync: true) { _ in .async { _ in await answer.response() } }
        return Route(
            endpoint: endpoint, extras: nil, hasBody: false, embedBodies: false, template: "(routing)", method: .GET,
            bodyLimit: self.defaultBodyLimit, id: self.routeNames.count - 1)
    }

    /// Starlette's redirect to the same path with the trailing slash toggled, when that path has a route.
    private func trailingSlashRedirect(_ request: Request) -> Response? {
        guard request.path != "/" else { return nil }
        var toggled = request.path
        if toggled.hasSuffix("/") {
            while toggled.hasSuffix("/") { toggled.removeLast() }
        } else {
            toggled += "/"
        }
        guard !toggled.isEmpty, self.trie.matchesAnyMethod(path: toggled) else { return nil }
        // Starlette's URL from the scope: the scheme and host the client used (through a
        // trusted proxy, the proxy's), under the root path.
        let host = request.host ?? self.defaultHost
        var location = "\(request.scheme)://\(host)\(request.rootPath)\(percentEncodePath(toggled))"
        if let query = request.query { location += "?\(query)" }
        return Response(status: .temporaryRedirect, headers: ["location": location])
    }
}
