import NIOHTTP1

/// A segment trie of routes. Lookup walks one node per path segment (a dictionary lookup
/// for literals), so its cost does not grow with the number of routes. A literal segment
/// beats a `{param}` segment, which beats a `{name:path}` tail, whatever the order of
/// registration; a branch that fails deeper falls back to the next kind.
struct RouteTrie<Payload: Sendable>: Sendable {
    /// A node of the frozen trie: read only, shared by every event loop.
    final class Node: Sendable {
        let literals: [Substring: Node]
        let parameters: [(name: String, convertor: PathTemplate.Convertor, node: Node)]
        let tail: (name: String, node: Node)?
        let endpoints: [(method: HTTPMethod, payload: Payload)]

        init(
            literals: [Substring: Node], parameters: [(name: String, convertor: PathTemplate.Convertor, node: Node)],
            tail: (name: String, node: Node)?, endpoints: [(method: HTTPMethod, payload: Payload)]
        ) {
            self.literals = literals
            self.parameters = parameters
            self.tail = tail
            self.endpoints = endpoints
        }
    }

    enum Match {
        case found(Payload, parameters: [(name: String, value: String)])
        case methodNotAllowed(allowed: [HTTPMethod])
        case notFound
    }

    /// Collects the routes while the app is configured; ``freeze()`` makes the trie that
    /// requests read.
    struct Builder {
        final class Node {
            var literals: [Substring: Node] = [:]
            var parameters: [(name: String, convertor: PathTemplate.Convertor, node: Node)] = []
            var tail: (name: String, node: Node)?
            var endpoints: [(method: HTTPMethod, payload: Payload)] = []
        }

        private let root = Node()

        /// Adds a route; a second route with the same method and path is an error naming it.
        func insert(_ template: PathTemplate, method: HTTPMethod, payload: Payload) throws(RouteConfigurationError) {
            var node = self.root
            for segment in template.segments {
                switch segment {
                case .literal(let literal):
                    if let next = node.literals[Substring(literal)] {
                        node = next
                    } else {
                        let next = Node()
                        node.literals[Substring(literal)] = next
                        node = next
                    }
                case .parameter(let name, let convertor):
                    if let existing = node.parameters.first(where: { $0.convertor == convertor }) {
                        if existing.name != name {
                            throw RouteConfigurationError(
                                "route \(method) \(template.text): {\(name)} conflicts with {\(existing.name)} of another route at the same position")
                        }
                        node = existing.node
                    } else {
                        let next = Node()
                        node.parameters.append((name, convertor, next))
                        // `int`, `float` and `uuid` are tried before the catch-all `str`.
                        node.parameters.sort { ($0.convertor == .str ? 1 : 0) < ($1.convertor == .str ? 1 : 0) }
                        node = next
                    }
                case .tail(let name):
                    if let tail = node.tail {
                        node = tail.node
                    } else {
                        let next = Node()
                        node.tail = (name, next)
                        node = next
                    }
                }
            }
            if node.endpoints.contains(where: { $0.method == method }) {
                throw RouteConfigurationError("duplicate route \(method) \(template.text): a route with this method and path already exists")
            }
            node.endpoints.append((method, payload))
        }

        /// The trie of the routes inserted so far, immutable.
        func freeze() -> RouteTrie { RouteTrie(root: Self.freeze(self.root)) }

        private static func freeze(_ node: Node) -> RouteTrie.Node {
            RouteTrie.Node(
                literals: node.literals.mapValues(Self.freeze),
                parameters: node.parameters.map { ($0.name, $0.convertor, Self.freeze($0.node)) },
                tail: node.tail.map { ($0.name, Self.freeze($0.node)) }, endpoints: node.endpoints)
        }
    }

    private let root: Node

    /// Finds the route for `method` and a percent-decoded `path`.
    func lookup(_ method: HTTPMethod, path: String) -> Match {
        var search = Search(method: method)
        let segments = Self.segments(of: path)
        var captured: [(name: String, value: String)] = []
        if self.walk(self.root, segments[...], path: path, captured: &captured, search: &search) {
            return search.found.map { .found($0, parameters: captured) } ?? .notFound
        }
        if let allowed = search.partial { return .methodNotAllowed(allowed: allowed) }
        return .notFound
    }

    /// The segments of a path, split at each `/` byte. (Splitting the `String` by `Character`
    /// would miss a `/` that a following combining mark or emoji modifier joins into one
    /// grapheme, as in `/users/\u{301}`.)
    static func segments(of path: String) -> [Substring] {
        let slash = UInt8(ascii: "/")
        let utf8 = path.utf8
        var segments: [Substring] = []
        var start = utf8.first == slash ? utf8.index(after: utf8.startIndex) : utf8.startIndex
        var index = start
        while index < utf8.endIndex {
            if utf8[index] == slash {
                segments.append(Substring(path.utf8[start..<index]))
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        segments.append(Substring(path.utf8[start..<utf8.endIndex]))
        return segments
    }

    /// Whether any route, with any method, matches `path`.
    func matchesAnyMethod(path: String) -> Bool {
        switch self.lookup(.RAW(value: "\u{0}"), path: path) {
        case .notFound: return false
        case .found, .methodNotAllowed: return true
        }
    }

    private struct Search {
        let method: HTTPMethod
        var found: Payload?
        var partial: [HTTPMethod]?
    }

    private func walk(
        _ node: Node, _ segments: ArraySlice<Substring>, path: String,
        captured: inout [(name: String, value: String)], search: inout Search
    ) -> Bool {
        guard let segment = segments.first else {
            guard !node.endpoints.isEmpty else { return false }
            for endpoint in node.endpoints where endpoint.method == search.method {
                search.found = endpoint.payload
                return true
            }
            if search.method == .HEAD, let get = node.endpoints.first(where: { $0.method == .GET }) {
                search.found = get.payload
                return true
            }
            if search.partial == nil { search.partial = node.endpoints.map(\.method) }
            return false
        }
        let rest = segments.dropFirst()
        if let next = node.literals[segment], self.walk(next, rest, path: path, captured: &captured, search: &search) {
            return true
        }
        if !segment.isEmpty {
            for parameter in node.parameters where parameter.convertor.accepts(segment) {
                captured.append((parameter.name, String(segment)))
                if self.walk(parameter.node, rest, path: path, captured: &captured, search: &search) { return true }
                captured.removeLast()
            }
        }
        if let tail = node.tail {
            // The rest of the path from this segment on, slashes included.
            let remainder = segments.joined(separator: "/")
            captured.append((tail.name, String(remainder)))
            if self.walk(tail.node, [], path: path, captured: &captured, search: &search) { return true }
            captured.removeLast()
        }
        return false
    }
}
